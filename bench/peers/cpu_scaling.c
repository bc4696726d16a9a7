// The cpu case's peer: how much faster two threads do item 53's naive factorize than one, in C, on this
// machine: the parallel ceiling that conlab's strategies are held to. The work is the scenario's: the
// four numbers, ROUNDS times each, every divisor found by trial division. Serial first, then two threads
// taking the same units from a shared counter (like a pool of two); prints the serial seconds, the
// parallel seconds and the speed-up, each the median of REPEATS.
//
//   cpu_scaling [ROUNDS] [REPEATS]
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "peer.h"

static const long numbers[] = {2139079, 1214759, 1516637, 1852285};
static int units;
static atomic_int next_unit;
static volatile long sink;

static long factorize(long number) {
    long count = 0;
    for (long candidate = 1; candidate <= number; candidate++) {
        if (number % candidate == 0) count++;
    }
    return count;
}

static void *worker(void *argument) {
    (void)argument;
    long total = 0;
    for (int unit; (unit = atomic_fetch_add(&next_unit, 1)) < units;) total += factorize(numbers[unit % 4]);
    sink += total;
    return NULL;
}

int main(int argc, char **argv) {
    units = 4 * (argc > 1 ? atoi(argv[1]) : 100);
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    double serial[16], parallel[16];
    if (repeats > 16) repeats = 16;
    for (int r = 0; r < repeats; r++) {
        double start = peer_now();
        atomic_store(&next_unit, 0);
        worker(NULL);
        serial[r] = peer_now() - start;
        start = peer_now();
        atomic_store(&next_unit, 0);
        pthread_t threads[2];
        for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, worker, NULL);
        for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
        parallel[r] = peer_now() - start;
    }
    double s = peer_median(serial, repeats), p = peer_median(parallel, repeats);
    printf("%.4f %.4f %.3f\n", s, p, s / p);
    return 0;
}
