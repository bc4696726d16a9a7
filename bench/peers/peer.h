// What the C peers share: the monotonic clock in seconds, a modelled wait, and the median of a run's
// figures.
#ifndef CONLAB_PEER_H
#define CONLAB_PEER_H

#include <stdlib.h>
#include <time.h>

static inline double peer_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// Sleeps `nanoseconds` from now in clock_nanosleep to an absolute deadline, as conlab's waits do (without
// their spin), restarting after a signal.
static inline void peer_sleep_ns(long nanoseconds) {
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += nanoseconds % 1000000000L;
    deadline.tv_sec += nanoseconds / 1000000000L + deadline.tv_nsec / 1000000000L;
    deadline.tv_nsec %= 1000000000L;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) != 0) {}
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
