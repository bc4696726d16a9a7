// Anonymous temporary files: files with no name, which the kernel frees when their last descriptor closes.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int clinux_anonymous_file(const char *directory) {
    // O_TMPFILE makes the file without ever giving it a name: no moment exists at which a crash, a timeout
    // or SIGKILL could leave it behind.
    int descriptor = open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (descriptor >= 0) return descriptor;
    // A file system without O_TMPFILE says EOPNOTSUPP; a kernel older than 3.11 reads the flag as
    // O_DIRECTORY and says EISDIR. Anything else (a missing folder, no permission) is the caller's to hear.
    if (errno != EOPNOTSUPP && errno != EISDIR) return -1;
    size_t length = strlen(directory);
    static const char suffix[] = "/conlab-XXXXXX";
    char *path = malloc(length + sizeof suffix);
    if (path == NULL) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(path, directory, length);
    memcpy(path + length, suffix, sizeof suffix);
    descriptor = mkostemp(path, O_CLOEXEC);
    // Unlinked at once: the name exists for the time between two system calls.
    if (descriptor >= 0) unlink(path);
    int saved = errno;
    free(path);
    errno = saved;
    return descriptor;
}
