// epoll(7) for Swift: Glibc's module map leaves <sys/epoll.h> out.
#ifndef CEPOLL_H
#define CEPOLL_H
#include <sys/epoll.h>
#endif
