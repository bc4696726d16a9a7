// The guess-10 case's peer: item 61's guessing game in C, to show what this machine allows. One server
// thread multiplexes every connection with epoll (like conlab's async server: one reactor, sessions
// handled between reads); CLIENTS threads each connect once and play SESSIONS sessions over loopback
// TCP, blocking in their reads (like conlab's clients as threads). The protocol and the games are
// conlab's: the client sends "PARAMS lower upper\nNUMBER\n", the server answers each NUMBER with a
// number of the range not yet guessed, the client answers "REPORT Warmer|Colder|Unsure|Correct" plus the
// next NUMBER, and a session ends at Correct or after five guesses with "PARAMS 0 -1", batched with the
// next session's first lines, so every guess costs one round trip. Games alternate 1..5 (secret 3) and
// 10..15 (secret 12). Prints sessions per second, from the first client's start to the last one's end.
//
//   guess_peer CLIENTS SESSIONS
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

static int sessions_per_client;
static int listener;
static int port;

// One connection's session on the server: the range, the numbers guessed, the buffered input.
struct connection {
    int fd;
    int lower, upper;
    unsigned char guessed[32];
    int guessed_count;
    unsigned long long draws;
    char input[4096];
    size_t filled;
};

static int next_guess(struct connection *c) {
    int left = c->upper - c->lower + 1 - c->guessed_count;
    if (left <= 0) return -1;
    c->draws = c->draws * 6364136223846793005ULL + 1442695040888963407ULL;
    int pick = (int)((c->draws >> 33) % (unsigned long long)left);
    for (int n = c->lower; n <= c->upper; n++) {
        if (c->guessed[n - c->lower]) continue;
        if (pick-- == 0) return n;
    }
    return -1;
}

// Handles one line; appends any reply to out. Returns -1 on a protocol error.
static int handle(struct connection *c, char *line, char *out, size_t *out_len) {
    if (strncmp(line, "PARAMS ", 7) == 0) {
        int lower, upper;
        if (sscanf(line + 7, "%d %d", &lower, &upper) != 2) return -1;
        if (lower <= upper && upper - lower >= 32) return -1;
        c->lower = lower;
        c->upper = upper;
        c->guessed_count = 0;
        memset(c->guessed, 0, sizeof c->guessed);
        return 0;
    }
    if (strcmp(line, "NUMBER") == 0) {
        if (c->lower > c->upper) return -1;
        int guess = next_guess(c);
        if (guess < 0) return -1;
        c->guessed[guess - c->lower] = 1;
        c->guessed_count++;
        *out_len += (size_t)sprintf(out + *out_len, "%d\n", guess);
        return 0;
    }
    if (strncmp(line, "REPORT ", 7) == 0) return 0;
    return -1;
}

static void *serve(void *argument) {
    (void)argument;
    int poller = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event ready[64];
    for (;;) {
        int count = epoll_wait(poller, ready, 64, -1);
        for (int i = 0; i < count; i++) {
            struct connection *c = ready[i].data.ptr;
            if (c == NULL) {
                int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0) continue;
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                c = calloc(1, sizeof *c);
                c->fd = fd;
                c->upper = -1;
                c->draws = (unsigned long long)fd * 0x9E3779B97F4A7C15ULL;
                struct epoll_event added = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(poller, EPOLL_CTL_ADD, fd, &added);
                continue;
            }
            ssize_t got = read(c->fd, c->input + c->filled, sizeof c->input - c->filled - 1);
            if (got <= 0) {
                epoll_ctl(poller, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                free(c);
                continue;
            }
            c->filled += (size_t)got;
            char out[4096];
            size_t out_len = 0;
            char *start = c->input;
            char *newline;
            while ((newline = memchr(start, '\n', c->input + c->filled - start)) != NULL) {
                *newline = '\0';
                if (handle(c, start, out, &out_len) < 0) {
                    fprintf(stderr, "protocol error: %s\n", start);
                    exit(1);
                }
                start = newline + 1;
            }
            c->filled = (size_t)(c->input + c->filled - start);
            memmove(c->input, start, c->filled);
            if (out_len > 0 && write(c->fd, out, out_len) != (ssize_t)out_len) exit(1);
        }
    }
    return NULL;
}

static double first_start = 1e300, last_end = 0;
static pthread_mutex_t span_lock = PTHREAD_MUTEX_INITIALIZER;

static void *client(void *argument) {
    (void)argument;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) exit(1);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    double started = peer_now();
    char out[256];
    int out_len = 0;
    char input[256];
    size_t filled = 0;
    for (int session = 0; session < sessions_per_client; session++) {
        int lower = session % 2 ? 10 : 1, upper = session % 2 ? 15 : 5, secret = session % 2 ? 12 : 3;
        out_len += sprintf(out + out_len, "PARAMS %d %d\nNUMBER\n", lower, upper);
        int last_distance = -1;
        for (int guesses = 1;; guesses++) {
            if (write(fd, out, (size_t)out_len) != out_len) exit(1);
            out_len = 0;
            char *newline;
            while ((newline = memchr(input, '\n', filled)) == NULL) {
                ssize_t got = read(fd, input + filled, sizeof input - filled);
                if (got <= 0) exit(1);
                filled += (size_t)got;
            }
            *newline = '\0';
            int number = atoi(input);
            size_t used = (size_t)(newline + 1 - input);
            memmove(input, newline + 1, filled - used);
            filled -= used;
            int distance = abs(number - secret);
            const char *decision = distance == 0                                ? "Correct"
                                   : last_distance < 0 || distance == last_distance ? "Unsure"
                                   : distance < last_distance                   ? "Warmer"
                                                                                : "Colder";
            last_distance = distance;
            out_len += sprintf(out + out_len, "REPORT %s\n", decision);
            if (distance == 0 || guesses == 5) {
                out_len += sprintf(out + out_len, "PARAMS 0 -1\n");
                break;
            }
            out_len += sprintf(out + out_len, "NUMBER\n");
        }
    }
    if (out_len > 0 && write(fd, out, (size_t)out_len) != out_len) exit(1);
    double ended = peer_now();
    close(fd);
    pthread_mutex_lock(&span_lock);
    if (started < first_start) first_start = started;
    if (ended > last_end) last_end = ended;
    pthread_mutex_unlock(&span_lock);
    return NULL;
}

int main(int argc, char **argv) {
    int clients = argc > 1 ? atoi(argv[1]) : 10;
    sessions_per_client = argc > 2 ? atoi(argv[2]) : 2000;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 128) != 0) return 1;
    getsockname(listener, (struct sockaddr *)&address, &length);
    port = ntohs(address.sin_port);
    pthread_t server;
    pthread_create(&server, NULL, serve, NULL);
    pthread_t *threads = malloc(sizeof(pthread_t) * (size_t)clients);
    for (int i = 0; i < clients; i++) pthread_create(&threads[i], NULL, client, NULL);
    for (int i = 0; i < clients; i++) pthread_join(threads[i], NULL);
    printf("%.0f\n", (double)clients * sessions_per_client / (last_end - first_start));
    return 0;
}
