// One-off probe behind ProcessMemory's choice of file: how long one read of /proc/self/status,
// /proc/self/stat and /proc/self/statm takes with THREADS idle threads in the process (stat sums every
// thread's CPU time), and the cheaper pair a sampler could use instead: stat() of /proc/self/task, whose
// st_nlink is the thread count plus two, and a pread of /proc/self/statm kept open; and a pread of
// /proc/self/status kept open, as the resource sampler reads it. Not run by bench/run.
//
//   cc -O2 -pthread -o /tmp/proc_read bench/probes/proc_read.c && /tmp/proc_read 2000
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../peers/peer.h"

static void *idle(void *argument) {
    (void)argument;
    pause();
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2000;
    for (int i = 0; i < threads; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, idle, NULL) != 0) return 1;
    }
    const char *files[] = {"/proc/self/status", "/proc/self/stat", "/proc/self/statm"};
    for (int f = 0; f < 3; f++) {
        char buffer[4096];
        double start = peer_now();
        for (int i = 0; i < 2000; i++) {
            int fd = open(files[f], O_RDONLY);
            while (read(fd, buffer, sizeof buffer) > 0) {}
            close(fd);
        }
        printf("%s: %.1f µs a read with %d threads\n", files[f], (peer_now() - start) / 2000 * 1e6, threads);
    }
    struct stat task;
    double start = peer_now();
    for (int i = 0; i < 2000; i++) stat("/proc/self/task", &task);
    printf("stat(/proc/self/task): %.1f µs, st_nlink %lu (threads + 2)\n", (peer_now() - start) / 2000 * 1e6,
           (unsigned long)task.st_nlink);
    // Kept open and read from offset 0, which makes the kernel render the file afresh: statm, and status
    // as the resource sampler reads it (ProcessStatus).
    const char *kept[] = {"/proc/self/statm", "/proc/self/status"};
    for (int f = 0; f < 2; f++) {
        char buffer[4096];
        int fd = open(kept[f], O_RDONLY);
        start = peer_now();
        for (int i = 0; i < 2000; i++) pread(fd, buffer, sizeof buffer, 0);
        printf("%s kept open: %.1f µs a pread\n", kept[f], (peer_now() - start) / 2000 * 1e6);
        close(fd);
    }
    return 0;
}
