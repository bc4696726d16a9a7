// What Glibc's Swift module map leaves out: <sys/epoll.h>, accept4(2) and gettid(2).
#ifndef CLINUX_H
#define CLINUX_H
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

// <sys/socket.h> declares accept4 only under _GNU_SOURCE, and defining that here would give the system
// headers definitions that differ from those in Glibc's module, which Clang rejects; so declare it.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: the descriptor is never visible without close-on-exec,
/// so a child spawned by another thread at that moment cannot inherit (and hold open) the connection.
static inline int clinux_accept_cloexec(int listener) {
    return accept4(listener, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/// The calling thread's kernel id, as `ps -L` and trace viewers show it (gettid is _GNU_SOURCE too).
static inline int clinux_gettid(void) {
    return (int)syscall(SYS_gettid);
}
#endif
