// What Glibc's Swift module map leaves out: <sys/epoll.h>, and accept4(2), which needs _GNU_SOURCE.
#ifndef CEPOLL_H
#define CEPOLL_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/epoll.h>
#include <sys/socket.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: the descriptor is never visible without close-on-exec,
/// so a child spawned by another thread at that moment cannot inherit (and hold open) the connection.
static inline int cepoll_accept_cloexec(int listener) {
    return accept4(listener, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
#endif
