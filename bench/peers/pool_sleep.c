// The pool-10k case's peer: what a pool of WORKERS threads needs here to run CELLS jobs that each sleep
// LATENCY_NS, in C: the workers take jobs from a shared counter (no queue, no futures, no results) and
// sleep each one in clock_nanosleep at an absolute deadline, timer slack 1 ns, like conlab's waits
// without the spin. Prints the median seconds per generation of GENERATIONS.
//
//   pool_sleep WORKERS CELLS LATENCY_NS GENERATIONS
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#include "peer.h"

static int cells;
static long latency_ns;
static atomic_int next_cell;

static void *worker(void *argument) {
    (void)argument;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    while (atomic_fetch_add(&next_cell, 1) < cells) peer_sleep_ns(latency_ns);
    return NULL;
}

int main(int argc, char **argv) {
    int workers = argc > 1 ? atoi(argv[1]) : 100;
    cells = argc > 2 ? atoi(argv[2]) : 10000;
    latency_ns = argc > 3 ? atol(argv[3]) : 10000000L;
    int generations = argc > 4 ? atoi(argv[4]) : 5;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    double *seconds = malloc(sizeof(double) * (size_t)generations);
    pthread_t *threads = malloc(sizeof(pthread_t) * (size_t)workers);
    for (int generation = 0; generation < generations; generation++) {
        atomic_store(&next_cell, 0);
        double start = peer_now();
        for (int i = 0; i < workers; i++) pthread_create(&threads[i], NULL, worker, NULL);
        for (int i = 0; i < workers; i++) pthread_join(threads[i], NULL);
        seconds[generation] = peer_now() - start;
    }
    printf("%.4f\n", peer_median(seconds, generations));
    return 0;
}
