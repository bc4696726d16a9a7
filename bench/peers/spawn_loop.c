// The spawn case's peer: start /bin/true N times with posix_spawn, waiting for each, and print the rate.
// Built and run by bench/run; the same loop conlab's serial strategy runs for `count: N` of /bin/true.
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 2000;
    char *child[] = {"/bin/true", NULL};
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < count; i++) {
        pid_t pid;
        if (posix_spawn(&pid, child[0], NULL, NULL, child, environ) != 0) return 1;
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.1f\n", count / seconds);
    return 0;
}
