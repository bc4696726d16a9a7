// One-off probe behind BENCHMARKS' thread-per-cell notes (issue 20 point 3): bench/peers/thread_per_cell.c
// with each pthread_create timed, and optional work in each thread around its sleep. Prints the median
// seconds a generation and the mean microseconds a pthread_create took, to set beside conlab's own
// `thread_spawn_seconds_mean` (`conlab run ... --format json`, strategy_metrics). Not run by bench/run.
//
//   cc -O2 -pthread -o /tmp/thread_start_cost bench/probes/thread_start_cost.c
//   /tmp/thread_start_cost CELLS LATENCY_NS STACK_BYTES GENERATIONS KEPT [SPIN]
//   /tmp/thread_start_cost 10000 10000000 524288 5 1        # the spawning thread's cost a start
//   /tmp/thread_start_cost 10000 10000000 524288 5 1 5000   # each thread counts to 5,000 before and after
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../peers/peer.h"

static long latency_ns;
static int spin;

static void *cell(void *argument) {
    (void)argument;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    volatile unsigned long counted = 0;
    for (int k = 0; k < spin; k++) counted += k;
    struct timespec wait = {latency_ns / 1000000000L, latency_ns % 1000000000L};
    nanosleep(&wait, NULL);
    for (int k = 0; k < spin; k++) counted += k;
    return NULL;
}

int main(int argc, char **argv) {
    int cells = argc > 1 ? atoi(argv[1]) : 10000;
    latency_ns = argc > 2 ? atol(argv[2]) : 10000000L;
    size_t stack = argc > 3 ? (size_t)atol(argv[3]) : 512 * 1024;
    int generations = argc > 4 ? atoi(argv[4]) : 5;
    int kept = argc > 5 ? atoi(argv[5]) : 0;
    spin = argc > 6 ? atoi(argv[6]) : 0;
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
    double creating = 0;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, stack);
    for (int generation = 0; generation < generations; generation++) {
        double start = peer_now();
        for (int i = 0; i < cells; i++) {
            if (kept) pthread_attr_setstack(&attributes, stacks + slot * i, slot);
            double before = peer_now();
            if (pthread_create(&threads[i], &attributes, cell, NULL) != 0) return 1;
            creating += peer_now() - before;
        }
        for (int i = 0; i < cells; i++) pthread_join(threads[i], NULL);
        seconds[generation] = peer_now() - start;
    }
    printf("%.4f s/gen, pthread_create %.2f us\n", peer_median(seconds, generations),
           creating / cells / generations * 1e6);
    return 0;
}
