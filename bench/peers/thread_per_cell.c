// The thread-10k case's peer: what a thread per cell costs in C on this machine. Each generation starts
// N pthreads (stack size as given, timer slack 1 ns, like conlab's), each sleeps the latency once, and
// joins them all; prints the median seconds per generation. Built and run by bench/run.
//
//   thread_per_cell CELLS LATENCY_NS STACK_BYTES GENERATIONS [KEPT]
//
// With KEPT 1 the stacks are mapped once, each with a guard page, and reused in every generation, as
// conlab's thread strategy does (ThreadStacks); with 0, glibc maps and caches them (only ~40 MiB).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

static long latency_ns;

static void *cell(void *argument) {
    (void)argument;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    struct timespec wait = {latency_ns / 1000000000L, latency_ns % 1000000000L};
    nanosleep(&wait, NULL);
    return NULL;
}

int main(int argc, char **argv) {
    int cells = argc > 1 ? atoi(argv[1]) : 10000;
    latency_ns = argc > 2 ? atol(argv[2]) : 10000000L;
    size_t stack = argc > 3 ? (size_t)atol(argv[3]) : 512 * 1024;
    int generations = argc > 4 ? atoi(argv[4]) : 5;
    int kept = argc > 5 ? atoi(argv[5]) : 0;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t slot = (stack + page - 1) / page * page + page;
    char *stacks = NULL;
    if (kept) {
        stacks = mmap(NULL, slot * cells, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (stacks == MAP_FAILED) return 1;
        for (int i = 0; i < cells; i++) mprotect(stacks + slot * i, page, PROT_NONE);
    }
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    pthread_t *threads = malloc(sizeof(pthread_t) * cells);
    double *seconds = malloc(sizeof(double) * generations);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, stack);
    for (int generation = 0; generation < generations; generation++) {
        double start = peer_now();
        for (int i = 0; i < cells; i++) {
            if (kept) pthread_attr_setstack(&attributes, stacks + slot * i, slot);
            if (pthread_create(&threads[i], &attributes, cell, NULL) != 0) return 1;
        }
        for (int i = 0; i < cells; i++) pthread_join(threads[i], NULL);
        seconds[generation] = peer_now() - start;
    }
    printf("%.4f\n", peer_median(seconds, generations));
    return 0;
}
