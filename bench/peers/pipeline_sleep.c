// The pipeline cases' peer: item 55's three-stage pipeline in C on this machine. ITEMS items pass through
// three stages of WORKERS threads each; every stage sleeps LATENCY_NS per item (clock_nanosleep at an
// absolute deadline, timer slack 1 ns) and hands the item to the next stage's queue (a mutex and a
// condition variable, as Python's queue.Queue is). Prints the seconds from starting the threads to the last
// one joined, the median of RUNS.
//
//   pipeline_sleep ITEMS WORKERS LATENCY_NS RUNS
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#include "peer.h"

enum { STAGES = 3 };

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    int *items;
    int head, tail, closed;
};

static struct queue queues[STAGES + 1];
static long latency_ns;
static int workers;

static void put(struct queue *q, int item) {
    pthread_mutex_lock(&q->lock);
    q->items[q->tail++] = item;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->lock);
}

// The next item, or -1 once the queue is closed and empty.
static int get(struct queue *q) {
    pthread_mutex_lock(&q->lock);
    while (q->head == q->tail && !q->closed) pthread_cond_wait(&q->ready, &q->lock);
    int item = q->head < q->tail ? q->items[q->head++] : -1;
    pthread_mutex_unlock(&q->lock);
    return item;
}

static void close_queue(struct queue *q) {
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->ready);
    pthread_mutex_unlock(&q->lock);
}

static void *stage_worker(void *argument) {
    struct queue *in = argument, *out = in + 1;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    for (int item; (item = get(in)) >= 0;) {
        peer_sleep_ns(latency_ns);
        put(out, item);
    }
    return NULL;
}

static double run(int items) {
    for (int s = 0; s <= STAGES; s++) {
        pthread_mutex_init(&queues[s].lock, NULL);
        pthread_cond_init(&queues[s].ready, NULL);
        queues[s].items = malloc(sizeof(int) * (size_t)items);
        queues[s].head = queues[s].tail = queues[s].closed = 0;
    }
    pthread_t threads[STAGES][64];
    // Timed from before the threads start, as conlab's pipeline time is (its phase spawns its threads).
    double start = peer_now();
    for (int s = 0; s < STAGES; s++)
        for (int w = 0; w < workers; w++) pthread_create(&threads[s][w], NULL, stage_worker, &queues[s]);
    for (int i = 0; i < items; i++) put(&queues[0], i);
    close_queue(&queues[0]);
    for (int s = 0; s < STAGES; s++) {
        for (int w = 0; w < workers; w++) pthread_join(threads[s][w], NULL);
        close_queue(&queues[s + 1]);
    }
    double seconds = peer_now() - start;
    if (queues[STAGES].tail != items) exit(1);
    for (int s = 0; s <= STAGES; s++) free(queues[s].items);
    return seconds;
}

int main(int argc, char **argv) {
    int items = argc > 1 ? atoi(argv[1]) : 1000;
    workers = argc > 2 ? atoi(argv[2]) : 1;
    latency_ns = argc > 3 ? atol(argv[3]) : 1000000L;
    int runs = argc > 4 ? atoi(argv[4]) : 3;
    if (workers > 64) workers = 64;
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    double seconds[16];
    if (runs > 16) runs = 16;
    for (int r = 0; r < runs; r++) seconds[r] = run(items);
    printf("%.4f\n", peer_median(seconds, runs));
    return 0;
}
