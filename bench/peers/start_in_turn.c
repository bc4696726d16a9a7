// The startup and fixed-memory cases' stopwatch: starts each command in turn, ROUNDS times, with posix_spawnp
// from this small process, its output to /dev/null, and waits for it with wait4. Timing from bench/run itself
// would add Python's own cost of starting a child, and a child forked from Python reports Python's peak RSS as
// its own (the kernel keeps the larger of the memory before exec and after). Built and run by bench/run.
//
//   start_in_turn ROUNDS -- COMMAND [ARGUMENT...] [-- COMMAND [ARGUMENT...]]...
//
// Prints a line per command: the median seconds from spawn to exit, and the median peak RSS in bytes.
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "peer.h"

extern char **environ;

int main(int argc, char **argv) {
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: start_in_turn ROUNDS -- COMMAND [ARGUMENT...] [-- COMMAND...]...\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    char **commands[64];
    int count = 0;
    for (int i = 2; i < argc && count < 64; i++) {
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;  // ends the command before it
            commands[count++] = &argv[i + 1];
        }
    }
    double *seconds = calloc((size_t)(count * rounds), sizeof(double));
    double *peaks = calloc((size_t)(count * rounds), sizeof(double));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    for (int round = 0; round < rounds; round++) {
        for (int command = 0; command < count; command++) {
            pid_t child;
            int status;
            struct rusage usage;
            double started = peer_now();
            if (posix_spawnp(&child, commands[command][0], &actions, NULL, commands[command], environ) != 0) {
                perror(commands[command][0]);
                return 1;
            }
            if (wait4(child, &status, 0, &usage) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "%s: did not exit with status 0\n", commands[command][0]);
                return 1;
            }
            seconds[command * rounds + round] = peer_now() - started;
            peaks[command * rounds + round] = usage.ru_maxrss * 1024.0;  // ru_maxrss is in KiB on Linux
        }
    }
    for (int command = 0; command < count; command++) {
        printf("%.6f %.0f\n", peer_median(seconds + command * rounds, rounds),
               peer_median(peaks + command * rounds, rounds));
    }
    return 0;
}
