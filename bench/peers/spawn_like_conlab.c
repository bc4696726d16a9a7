// The spawn case's second peer: everything conlab's serial strategy does around each child, in C — two
// close-on-exec pipes for its output and error, /dev/null as its input, three dup2s, a new process group,
// SIGINT/SIGTERM/SIGPIPE at their defaults, a poll loop that drains both pipes until they close, then
// waitpid. If this runs as fast as spawn_loop.c, the structure of a conlab spawn costs nothing and the
// gap is in conlab's process or its Swift code. Prints children per second. Built and run by bench/run.
//
// With SPIN_US, a one-off probe that bench/run does not use: before the blocking waitpid, spin up to that
// many microseconds on waitpid(WNOHANG) once the pipes close (does reaping without a sleep and a wake-up
// speed the path up?), and also print how many children were not yet a zombie when the spin ran out.
//
// With PARTS, another one-off probe (BENCHMARKS, seventeenth session): only some of the path, by bits. 1: the
// two pipes (without it, output and error go to /dev/null); 2: the poll loop draining them before waitpid
// (without it, they are read once after waitpid); 4: the process group and the signal defaults; 8 (with
// 1, eighteenth session): the parent holds its own copies of the pipes' write ends and waits for the child on
// a pidfd, closing them once it has ended, so that a child wakes it once rather than twice. 0 is
// spawn_loop.c's plain loop with /dev/null as input; 7, the default, is the whole path.
//
//   spawn_like_conlab [COUNT] [SPIN_US] [PARTS]
//   cc -O2 -o /tmp/spawn_like_conlab bench/peers/spawn_like_conlab.c && /tmp/spawn_like_conlab 2000 100
//   for parts in 0 4 1 5 3 7; do /tmp/spawn_like_conlab 2000 0 $parts; done
//   for round in 1 2 3 4 5; do for parts in 0 7 15; do /tmp/spawn_like_conlab 3000 0 $parts; done; done
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 2000;
    long spin_ns = (argc > 2 ? atol(argv[2]) : 0) * 1000;
    int parts = argc > 3 ? atoi(argv[3]) : 7;
    int piped = parts & 1, polled = (parts & 2) && piped, grouped = parts & 4, held = (parts & 8) && piped;
    long blocked = 0;
    char *child[] = {"/bin/true", NULL};
    int null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int null_output = open("/dev/null", O_WRONLY | O_CLOEXEC);
    static char buffer[65536];
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < count; i++) {
        int output[2] = {-1, null_output}, error[2] = {-1, null_output};
        if (piped && (pipe2(output, O_CLOEXEC) != 0 || pipe2(error, O_CLOEXEC) != 0)) return 1;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, null_input, 0);
        posix_spawn_file_actions_adddup2(&actions, output[1], 1);
        posix_spawn_file_actions_adddup2(&actions, error[1], 2);
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        if (grouped) {
            sigset_t none, defaults;
            sigemptyset(&none);
            sigemptyset(&defaults);
            sigaddset(&defaults, SIGINT);
            sigaddset(&defaults, SIGTERM);
            sigaddset(&defaults, SIGPIPE);
            posix_spawnattr_setsigmask(&attributes, &none);
            posix_spawnattr_setsigdefault(&attributes, &defaults);
            posix_spawnattr_setpgroup(&attributes, 0);
            posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
        }
        pid_t pid;
        if (posix_spawnp(&pid, child[0], &actions, &attributes, child, environ) != 0) return 1;
        if (piped && !held) {
            close(output[1]);
            close(error[1]);
        }
        struct pollfd pipes[2] = {{output[0], POLLIN, 0}, {error[0], POLLIN, 0}};
        if (held) {
            // The pipes cannot close while this process holds their write ends: only the child's end wakes
            // the poll, then the pipes are closed and drained below as usual.
            int exited = (int)syscall(SYS_pidfd_open, pid, 0);
            if (exited < 0) return 1;
            struct pollfd watched[3] = {{output[0], POLLIN, 0}, {error[0], POLLIN, 0}, {exited, POLLIN, 0}};
            for (;;) {
                poll(watched, 3, 50);
                for (int p = 0; p < 2; p++) {
                    if (watched[p].revents != 0) read(watched[p].fd, buffer, sizeof buffer);
                }
                if (watched[2].revents != 0) break;
            }
            close(exited);
            close(output[1]);
            close(error[1]);
        }
        for (int open_pipes = polled ? 2 : 0; open_pipes > 0;) {
            poll(pipes, 2, 50);
            for (int p = 0; p < 2; p++) {
                if (pipes[p].fd >= 0 && pipes[p].revents != 0 && read(pipes[p].fd, buffer, sizeof buffer) <= 0) {
                    close(pipes[p].fd);
                    pipes[p].fd = -1;
                    open_pipes--;
                }
            }
        }
        int status;
        pid_t reaped = 0;
        if (spin_ns > 0) {
            struct timespec spin_start, spin_now;
            clock_gettime(CLOCK_MONOTONIC, &spin_start);
            while (reaped == 0 && (reaped = waitpid(pid, &status, WNOHANG)) == 0) {
                clock_gettime(CLOCK_MONOTONIC, &spin_now);
                long spun = (spin_now.tv_sec - spin_start.tv_sec) * 1000000000L
                    + (spin_now.tv_nsec - spin_start.tv_nsec);
                if (spun >= spin_ns) break;
            }
        }
        if (reaped == 0) {
            blocked += spin_ns > 0;
            reaped = waitpid(pid, &status, 0);
        }
        if (reaped != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
        if (piped && !polled) {
            // The child has ended: what it wrote is in the pipes, and one read finds each one's end.
            for (int p = 0; p < 2; p++) {
                while (read(pipes[p].fd, buffer, sizeof buffer) > 0) {}
                close(pipes[p].fd);
            }
        }
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    if (spin_ns > 0) {
        printf("%.1f children/s; %ld of %d not yet reaped after the spin\n", count / seconds, blocked, count);
    } else {
        printf("%.1f\n", count / seconds);
    }
    return 0;
}
