// Empty: the target exists only to export what include/CLinux.h declares.
