// Empty: the target exists only to export <sys/epoll.h> and accept4(2) (see include/CEpoll.h).
