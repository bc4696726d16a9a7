// One-off probe behind BENCHMARKS' notes on async's memory (issue 20 point 1): an LD_PRELOAD library that
// counts the sizes a program asks of malloc (and of aligned_alloc and posix_memalign), and prints to standard
// error, at exit, every size asked for more than 1,000 times. conlab links libc dynamically, so its Swift
// runtime's task allocations pass through here. Not run by bench/run.
//
//   cc -O2 -shared -fPIC -o /tmp/malloc_sizes.so bench/probes/malloc_sizes.c -ldl
//   LD_PRELOAD=/tmp/malloc_sizes.so .build/release/conlab run scenarios/life-random-100.yaml
//       --set workload.rows=300 --set workload.columns=300 --set workload.io.latency=100ms
//       --set 'strategies=[async]' --set workload.generations=2 --format json > /dev/null
//   (one command line)
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

// Sizes above the last are counted in it.
#define LARGEST 4096

static void *(*real_malloc)(size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static atomic_long counts[LARGEST + 1];

static void count(size_t size) {
    atomic_fetch_add_explicit(&counts[size > LARGEST ? LARGEST : size], 1, memory_order_relaxed);
}

void *malloc(size_t size) {
    if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc");
    count(size);
    return real_malloc(size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    if (!real_aligned_alloc) real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    count(size);
    return real_aligned_alloc(alignment, size);
}

int posix_memalign(void **pointer, size_t alignment, size_t size) {
    if (!real_posix_memalign) real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    count(size);
    return real_posix_memalign(pointer, alignment, size);
}

__attribute__((destructor)) static void report(void) {
    for (int size = 0; size <= LARGEST; size++) {
        long times = atomic_load(&counts[size]);
        if (times > 1000) fprintf(stderr, "size %d%s: %ld\n", size, size == LARGEST ? " and above" : "", times);
    }
}
