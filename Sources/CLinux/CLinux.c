// The system calls CLinux.h declares, defined here so that their headers stay out of the module.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

int clinux_pipe_cloexec(int descriptors[2]) {
    return pipe2(descriptors, O_CLOEXEC);
}

int clinux_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int clinux_ppoll_readable(int fd, long long nanoseconds) {
    struct pollfd entry = {.fd = fd, .events = POLLIN, .revents = 0};
    struct timespec timeout = {.tv_sec = nanoseconds / 1000000000LL, .tv_nsec = nanoseconds % 1000000000LL};
    return ppoll(&entry, 1, nanoseconds < 0 ? NULL : &timeout, NULL);
}

int clinux_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

long clinux_timer_slack(void) {
    return (long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
}

// Whether the calling thread's timer slack is known to be 1 ns: set by it, or inherited from a creator that had.
static __thread int timer_slack_minimized;

int clinux_minimize_timer_slack_once(void) {
    if (!timer_slack_minimized && prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0) == 0) timer_slack_minimized = 1;
    return timer_slack_minimized;
}

void clinux_note_timer_slack_minimized(void) {
    timer_slack_minimized = 1;
}

int clinux_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

int clinux_allowed_cpu_count(void) {
    cpu_set_t allowed;
    // The main thread's mask (its id is the process's): a thread that pinned itself would count one.
    if (sched_getaffinity(getpid(), sizeof allowed, &allowed) != 0) return 0;
    return CPU_COUNT(&allowed);
}

int clinux_pin_to_allowed_cpu(int index) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return errno;
    int count = CPU_COUNT(&allowed);
    if (count == 0 || index < 0) return EINVAL;
    int wanted = index % count;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed)) continue;
        if (seen++ != wanted) continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        return sched_setaffinity(0, sizeof one, &one) == 0 ? 0 : errno;
    }
    return EINVAL;
}

/// Set once this thread's signal is unblocked: a per-thread system call saved on every later wait.
static __thread int signal_unblocked;

int clinux_unblock_signal_once(int signal) {
    if (signal_unblocked) return 0;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signal);
    int code = pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (code == 0) signal_unblocked = 1;
    return code;
}

void clinux_note_signal_unblocked(void) {
    signal_unblocked = 1;
}

int clinux_set_batch_scheduling(void) {
    struct sched_param parameters = {0};
    return sched_setscheduler(0, SCHED_BATCH, &parameters);
}

int clinux_memfd(const char *name) {
    return memfd_create(name, MFD_CLOEXEC);
}

int clinux_is_memfd(int fd) {
    // Sealing is asked of memfds only: any other descriptor gives EINVAL (EBADF when closed).
    return fcntl(fd, F_GET_SEALS) >= 0;
}

// Whether clinux_spawn's child reports over a pipe rather than through shared memory (see there).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLINUX_SPAWN_REPORTS_OVER_PIPE 1
#endif
#endif
#if !defined(CLINUX_SPAWN_REPORTS_OVER_PIPE) && defined(__SANITIZE_THREAD__)
#define CLINUX_SPAWN_REPORTS_OVER_PIPE 1
#endif
#ifndef CLINUX_SPAWN_REPORTS_OVER_PIPE
#define CLINUX_SPAWN_REPORTS_OVER_PIPE 0
#endif

int clinux_spawn(int *pid, const char *file, char *const argv[], char *const envp[], const int *descriptors,
                 int descriptor_count, const char *directory, int process_group, int death_signal) {
    // Why the child could not exec reaches the parent through memory they share: vfork suspends the parent
    // until the child execs or exits, so the child's errno is in `failure` when the parent resumes.
    // ThreadSanitizer turns vfork into fork, and shares nothing: under it the child reports over a
    // close-on-exec pipe instead (a successful exec closes it and the parent reads end-of-file). The pipe is
    // not used otherwise: its four system calls per spawn cost 2 % of a run of 2,000 /bin/true under serial
    // (farm-bench, 12 pairs: wall 0.978 without it; and 1.005 against the build before it was added).
#if CLINUX_SPAWN_REPORTS_OVER_PIPE
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
#endif
    volatile int failure = 0;
    // Every signal blocked across vfork: a handler of this process must never run in the child, which
    // shares its memory until exec (glibc's posix_spawn does the same).
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    pid_t child = vfork();
    if (child == 0) {
#if CLINUX_SPAWN_REPORTS_OVER_PIPE
        int reporter = report[1];
        // The descriptors 0..<descriptor_count are about to be replaced: move the report's end above them.
        if (reporter < descriptor_count) {
            reporter = fcntl(reporter, F_DUPFD_CLOEXEC, descriptor_count);
            if (reporter < 0) _exit(127);
        }
#endif
        // Handlers go back to their defaults before any signal can be taken; so do SIGINT, SIGTERM and
        // SIGPIPE even when this process ignores them. Other ignored signals stay ignored, as exec keeps them.
        for (int sig = 1; sig < NSIG; sig++) {
            struct sigaction action;
            if (sigaction(sig, NULL, &action) != 0) continue;
            int reset = sig == SIGINT || sig == SIGTERM || sig == SIGPIPE;
            if (!reset && (action.sa_handler == SIG_DFL || action.sa_handler == SIG_IGN)) continue;
            if (reset && action.sa_handler == SIG_DFL) continue;
            memset(&action, 0, sizeof action);
            action.sa_handler = SIG_DFL;
            sigaction(sig, &action, NULL);
        }
        if (process_group >= 0 && setpgid(0, process_group) != 0) goto fail;
        for (int target = 0; target < descriptor_count; target++) {
            int source = descriptors[target];
            if (source < 0) continue;
            // dup2 onto itself keeps close-on-exec: clear it instead.
            if (source == target) {
                if (fcntl(target, F_SETFD, 0) != 0) goto fail;
            } else if (dup2(source, target) < 0) {
                goto fail;
            }
        }
        // Nothing else of this process reaches the program: every other descriptor closes at exec. Threads
        // of this process open descriptors without O_CLOEXEC (Foundation's Pipe does), and a child that
        // kept one held open a pipe whose reader then never saw it end. (Before Linux 5.11 the flag is
        // refused, and descriptors are inherited as before.)
        (void)close_range((unsigned)descriptor_count, ~0U, CLOSE_RANGE_CLOEXEC);
        if (directory && chdir(directory) != 0) goto fail;
        if (death_signal > 0) {
            if (prctl(PR_SET_PDEATHSIG, (unsigned long)death_signal, 0, 0, 0) != 0) goto fail;
            // The parent may have died before the request was made: then no signal will come.
            if (getppid() != parent) _exit(127);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execvpe(file, argv, envp);
    fail:
        failure = errno ? errno : EINVAL;
#if CLINUX_SPAWN_REPORTS_OVER_PIPE
        // A pipe's buffer takes these 4 bytes at once; nothing more can be done if it does not.
        ssize_t written = write(reporter, (const int *)&failure, sizeof(int));
        (void)written;
#endif
        _exit(127);
    }
    int result = 0;
#if CLINUX_SPAWN_REPORTS_OVER_PIPE
    close(report[1]);
    if (child >= 0) {
        int reported = 0;
        ssize_t got;
        while ((got = read(report[0], &reported, sizeof reported)) < 0 && errno == EINTR) {
        }
        if (got == (ssize_t)sizeof reported) failure = reported != 0 ? reported : EINVAL;
    }
    close(report[0]);
#endif
    if (child < 0) {
        result = errno;
    } else if (failure != 0) {
        // The child could not exec; it has exited (or, under fork, is about to): reap it.
        result = failure;
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
    } else {
        *pid = child;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return result;
}

int clinux_release_free_memory(void) {
    return malloc_trim(0);
}

void clinux_fix_allocator_thresholds(int bytes) {
    mallopt(M_MMAP_THRESHOLD, bytes);
    mallopt(M_TRIM_THRESHOLD, bytes);
}

void clinux_limit_allocator_arenas(int count) {
    mallopt(M_ARENA_MAX, count);
}
