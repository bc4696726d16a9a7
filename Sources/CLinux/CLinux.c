// The system calls CLinux.h declares, defined here so that their headers stay out of the module.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

int clinux_pipe_cloexec(int descriptors[2]) {
    return pipe2(descriptors, O_CLOEXEC);
}

int clinux_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int clinux_ppoll_readable(int fd, long long nanoseconds) {
    struct pollfd entry = {.fd = fd, .events = POLLIN, .revents = 0};
    struct timespec timeout = {.tv_sec = nanoseconds / 1000000000LL, .tv_nsec = nanoseconds % 1000000000LL};
    return ppoll(&entry, 1, nanoseconds < 0 ? NULL : &timeout, NULL);
}

int clinux_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

int clinux_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

int clinux_allowed_cpu_count(void) {
    cpu_set_t allowed;
    // The main thread's mask (its id is the process's): a thread that pinned itself would count one.
    if (sched_getaffinity(getpid(), sizeof allowed, &allowed) != 0) return 0;
    return CPU_COUNT(&allowed);
}

int clinux_pin_to_allowed_cpu(int index) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return errno;
    int count = CPU_COUNT(&allowed);
    if (count == 0 || index < 0) return EINVAL;
    int wanted = index % count;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (seen++ != wanted) continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        return sched_setaffinity(0, sizeof one, &one) == 0 ? 0 : errno;
    }
    return EINVAL;
}

int clinux_set_batch_scheduling(void) {
    struct sched_param parameters = {0};
    return sched_setscheduler(0, SCHED_BATCH, &parameters);
}

int clinux_memfd(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}

int clinux_is_memfd(int fd) {
    // Sealing is asked of memfds only: any other descriptor gives EINVAL (EBADF when closed).
    return fcntl(fd, F_GET_SEALS) >= 0;
}

int clinux_release_free_memory(void) {
    return malloc_trim(0);
}

void clinux_fix_allocator_thresholds(int bytes) {
    mallopt(M_MMAP_THRESHOLD, bytes);
    mallopt(M_TRIM_THRESHOLD, bytes);
}
