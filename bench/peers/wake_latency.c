// How late the kernel wakes a thread from a 1 ms clock_nanosleep to an absolute deadline, at 1 ns timer
// slack like conlab's threads: the floor under every blocking wait, which conlab's spun finish works
// around. Prints the median and 99th percentile lateness in microseconds. Built and run by bench/run.
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    long long *late = malloc(sizeof(long long) * count);
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    for (int i = 0; i < count; i++) {
        long long deadline = now_ns() + 1000000;
        struct timespec at = {deadline / 1000000000LL, deadline % 1000000000LL};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0) {}
        late[i] = now_ns() - deadline;
    }
    qsort(late, count, sizeof(long long), compare);
    printf("%.1f %.1f\n", late[count / 2] / 1000.0, late[count * 99 / 100] / 1000.0);
    return 0;
}
