// What Glibc's Swift module map leaves out: <sys/epoll.h>, <sys/eventfd.h>, ppoll(2), prctl(2), pipe2(2),
// accept4(2) and gettid(2).
#ifndef CLINUX_H
#define CLINUX_H
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

// <sys/socket.h> declares accept4 only under _GNU_SOURCE, and defining that here would give the system
// headers definitions that differ from those in Glibc's module, which Clang rejects; so declare it.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
// <unistd.h> declares pipe2 only under _GNU_SOURCE too.
extern int pipe2(int descriptors[2], int flags);

/// A pipe whose ends are close-on-exec from birth: no child spawned meanwhile by another thread inherits
/// them, with no lock around pipe creation and spawning.
static inline int clinux_pipe_cloexec(int descriptors[2]) {
    return pipe2(descriptors, O_CLOEXEC);
}

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: the descriptor is never visible without close-on-exec,
/// so a child spawned by another thread at that moment cannot inherit (and hold open) the connection.
static inline int clinux_accept_cloexec(int listener) {
    return accept4(listener, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/// The calling thread's kernel id, as `ps -L` and trace viewers show it (gettid is _GNU_SOURCE too).
static inline int clinux_gettid(void) {
    return (int)syscall(SYS_gettid);
}

/// An eventfd(2) that never blocks and is closed on exec: a doorbell other threads ring with one write.
static inline int clinux_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

/// Waits until `fd` is readable or `nanoseconds` pass (negative: no limit), with ppoll(2)'s nanosecond
/// timeout rather than poll(2)'s milliseconds. Returns ppoll's result: 1 readable, 0 timed out, -1 error.
/// (ppoll is _GNU_SOURCE in <poll.h>, hence the raw system call.)
static inline int clinux_ppoll_readable(int fd, long long nanoseconds) {
    struct pollfd entry = {.fd = fd, .events = POLLIN, .revents = 0};
    struct timespec timeout = {.tv_sec = nanoseconds / 1000000000LL, .tv_nsec = nanoseconds % 1000000000LL};
    return (int)syscall(SYS_ppoll, &entry, 1, nanoseconds < 0 ? 0 : &timeout, 0, 8);
}

/// Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK): one system call, no /proc path.
static inline int clinux_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

/// Names the calling thread (prctl PR_SET_NAME; the kernel keeps 15 bytes), as pthread_setname_np does.
static inline int clinux_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
#endif
