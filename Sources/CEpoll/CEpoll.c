// Empty: the target exists only to export <sys/epoll.h> (see include/CEpoll.h).
