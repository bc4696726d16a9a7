// What the C peers share: the monotonic clock in seconds, and the median of a run's figures.
#ifndef CONLAB_PEER_H
#define CONLAB_PEER_H

#include <stdlib.h>
#include <time.h>

static inline double peer_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static inline int peer_compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// Sorts values in place and returns the middle one.
static inline double peer_median(double *values, int count) {
    qsort(values, (size_t)count, sizeof(double), peer_compare);
    return values[count / 2];
}

#endif
