// One-off probe behind BENCHMARKS' seventeenth-session note on serial spawning: what each part of conlab's
// spawn path costs against the plain posix_spawn loop of bench/peers/spawn_loop.c, spawning /bin/true
// COUNT times. MODE's bits add the parts: 1 pipes for the child's output and error (read after waitpid unless
// bit 2), 2 drain the pipes with a poll loop before waitpid, 4 a new process group and SIGINT/SIGTERM/SIGPIPE at
// their defaults. Mode 7 is conlab's path (bench/peers/spawn_like_conlab.c). Prints children per second.
// Not run by bench/run.
//
//   cc -O2 -o /tmp/spawn_parts bench/probes/spawn_parts.c && for m in 0 4 1 5 3 7; do /tmp/spawn_parts 2000 $m; done
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 2000;
    int mode = argc > 2 ? atoi(argv[2]) : 7;
    char *child[] = {"/bin/true", NULL};
    int null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int null_output = open("/dev/null", O_WRONLY | O_CLOEXEC);
    static char buffer[65536];
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < count; i++) {
        int output[2] = {-1, null_output}, error[2] = {-1, null_output};
        if (mode & 1) { if (pipe2(output, O_CLOEXEC) != 0 || pipe2(error, O_CLOEXEC) != 0) return 1; }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, null_input, 0);
        posix_spawn_file_actions_adddup2(&actions, output[1], 1);
        posix_spawn_file_actions_adddup2(&actions, error[1], 2);
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        if (mode & 4) {
        sigset_t none, defaults;
        sigemptyset(&none); sigemptyset(&defaults);
        sigaddset(&defaults, SIGINT); sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGPIPE);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setsigdefault(&attributes, &defaults);
        posix_spawnattr_setpgroup(&attributes, 0);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
        }
        pid_t pid;
        if (posix_spawnp(&pid, child[0], &actions, &attributes, child, environ) != 0) return 1;
        int status;
        if (mode & 1) {
            close(output[1]); close(error[1]);
            if (mode & 2) {
                struct pollfd pipes[2] = {{output[0], POLLIN, 0}, {error[0], POLLIN, 0}};
                for (int open_pipes = 2; open_pipes > 0;) {
                    poll(pipes, 2, 50);
                    for (int p = 0; p < 2; p++) {
                        if (pipes[p].fd >= 0 && pipes[p].revents != 0 && read(pipes[p].fd, buffer, sizeof buffer) <= 0) {
                            close(pipes[p].fd); pipes[p].fd = -1; open_pipes--;
                        }
                    }
                }
                waitpid(pid, &status, 0);
            } else {
                waitpid(pid, &status, 0);
                read(output[0], buffer, sizeof buffer); read(error[0], buffer, sizeof buffer);
                close(output[0]); close(error[0]);
            }
        } else waitpid(pid, &status, 0);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("mode %d: %.0f children/s\n", mode, count / seconds);
    return 0;
}
