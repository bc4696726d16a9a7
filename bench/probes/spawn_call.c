// One-off probe behind BENCHMARKS' spawn notes: the posix_spawn loop of bench/peers/spawn_loop.c, timing
// the posix_spawn call itself, with TICKERS threads waking every 2 ms (like conlab's sampler) and IDLE
// threads parked beside it. Not run by bench/run.
//
//   cc -O2 -pthread -o /tmp/spawn_call bench/probes/spawn_call.c && /tmp/spawn_call 2000 1 8
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../peers/peer.h"

extern char **environ;

static void *ticker(void *argument) {
    (void)argument;
    for (;;) {
        struct timespec interval = {0, 2000000};
        nanosleep(&interval, NULL);
    }
    return NULL;
}

static void *idle(void *argument) {
    (void)argument;
    pause();
    return NULL;
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 2000;
    int tickers = argc > 2 ? atoi(argv[2]) : 0;
    int idles = argc > 3 ? atoi(argv[3]) : 0;
    for (int i = 0; i < tickers + idles; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, i < tickers ? ticker : idle, NULL) != 0) return 1;
    }
    char *child[] = {"/bin/true", NULL};
    double inCall = 0, start = peer_now();
    for (int i = 0; i < count; i++) {
        pid_t pid;
        double before = peer_now();
        if (posix_spawn(&pid, child[0], NULL, NULL, child, environ) != 0) return 1;
        inCall += peer_now() - before;
        int status;
        if (waitpid(pid, &status, 0) != pid) return 1;
    }
    double seconds = peer_now() - start;
    printf("tickers %d, idle %d: %.0f children/s, posix_spawn %.1f µs a call\n", tickers, idles, count / seconds,
           inCall / count * 1e6);
    return 0;
}
