// What Glibc's Swift module map leaves out: <sys/epoll.h>, <sys/eventfd.h>, ppoll(2), prctl(2), pipe2(2),
// accept4(2), gettid(2), memfd_create(2) and malloc_trim(3).
#ifndef CLINUX_H
#define CLINUX_H
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

// <sys/socket.h> declares accept4 only under _GNU_SOURCE, and defining that here would give the system
// headers definitions that differ from those in Glibc's module, which Clang rejects; so declare it.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

// The functions below are defined in CLinux.c: the headers they need (<poll.h>, <fcntl.h>, <sys/prctl.h>,
// <sys/eventfd.h>) stay out of this module's interface, so their types keep belonging to Glibc's module.

/// A pipe whose ends are close-on-exec from birth: no child spawned meanwhile by another thread inherits
/// them, with no lock around pipe creation and spawning.
int clinux_pipe_cloexec(int descriptors[2]);

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: the descriptor is never visible without close-on-exec,
/// so a child spawned by another thread at that moment cannot inherit (and hold open) the connection.
static inline int clinux_accept_cloexec(int listener) {
    return accept4(listener, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/// The calling thread's kernel id, as `ps -L` and trace viewers show it (gettid is _GNU_SOURCE too).
static inline int clinux_gettid(void) {
    return (int)syscall(SYS_gettid);
}

/// An eventfd(2) that never blocks and is closed on exec: a doorbell other threads ring with one write.
int clinux_eventfd(void);

/// Waits until `fd` is readable or `nanoseconds` pass (negative: no limit), with ppoll(2)'s nanosecond
/// timeout rather than poll(2)'s milliseconds. Returns ppoll's result: 1 readable, 0 timed out, -1 error.
int clinux_ppoll_readable(int fd, long long nanoseconds);

/// An anonymous file in memory (memfd_create(2)), closed on exec: a page to share with a child, which
/// gets it through an explicit dup2. Returns the descriptor, or -1.
int clinux_memfd(const char *name);

/// Whether `fd` is a memfd (fcntl F_GET_SEALS answers only for those): 1 or 0.
int clinux_is_memfd(int fd);

/// Starts `file` (searched in PATH) with `argv` and `envp`, as posix_spawnp does, and with what posix_spawn
/// cannot do: a parent-death signal. In the child, `descriptors[i]` (when not negative) becomes descriptor
/// `i`; the process joins `process_group` (0: a group of its own; negative: stays in the parent's); it
/// starts in `directory` when not NULL, with no signal blocked and the default action for SIGINT, SIGTERM,
/// SIGPIPE and every handled signal. With `death_signal` > 0 it is sent that signal when the thread that
/// started it ends (prctl PR_SET_PDEATHSIG), and never starts if the parent is already gone.
/// Returns 0 and sets `*pid`, or returns an errno (the child's, when exec failed; that child is reaped).
int clinux_spawn(int *pid, const char *file, char *const argv[], char *const envp[], const int *descriptors,
                 int descriptor_count, const char *directory, int process_group, int death_signal);

/// Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK): one system call, no /proc path.
int clinux_set_timer_slack(unsigned long nanoseconds);

/// The calling thread's timer slack in nanoseconds (prctl PR_GET_TIMERSLACK).
long clinux_timer_slack(void);

/// Sets the calling thread's timer slack to 1 ns, once: a thread-local flag remembers that it did (or that
/// the thread inherited it, see clinux_note_timer_slack_minimized), so later calls make no system call.
/// Returns whether the slack is 1 ns.
int clinux_minimize_timer_slack_once(void);

/// Records that the calling thread's timer slack is 1 ns already: its creator's was, and it inherited it.
void clinux_note_timer_slack_minimized(void);

/// Names the calling thread (prctl PR_SET_NAME; the kernel keeps 15 bytes), as pthread_setname_np does.
int clinux_set_thread_name(const char *name);

/// Unblocks `signal` for the calling thread, once: a thread-local flag remembers that it did (or that
/// ``clinux_note_signal_unblocked`` said so), and later calls make no system call. Returns 0 or an errno.
/// For one signal per process (conlab's wake signal): the flag does not say which signal.
int clinux_unblock_signal_once(int signal);

/// Records that the calling thread's signal is unblocked without asking the kernel: for a new thread
/// whose creator had it unblocked, since a thread inherits its creator's signal mask.
void clinux_note_signal_unblocked(void);

/// Moves the calling thread to SCHED_BATCH: the same share of the cores, but its wake-ups do not
/// preempt the thread running.
int clinux_set_batch_scheduling(void);

/// How many CPUs the process may run on: its main thread's affinity mask, as `taskset` sets it, whichever
/// thread asks. 0 when the mask cannot be read.
int clinux_allowed_cpu_count(void);

/// Pins the calling thread to one CPU: the `index`-th (modulo their count) of those the process may run on.
/// Returns 0, or an errno.
int clinux_pin_to_allowed_cpu(int index);
/// Hands the heap's free memory back to the kernel (malloc_trim(3)), so the resident set is what is in
/// use, not what earlier work freed. Returns 1 when memory was released.
int clinux_release_free_memory(void);

/// Fixes the allocator's mmap and trim thresholds at `bytes` (mallopt(3)): blocks that large are mapped
/// on their own and unmapped when freed, and a heap's free top that large goes back to the kernel. Left
/// to glibc, both thresholds rise after the first large free (up to 32 MiB and 64 MiB), and the top of a
/// thread's arena, which malloc_trim(3) does not trim, stays resident.
void clinux_fix_allocator_thresholds(int bytes);

/// Caps the number of malloc arenas at `count` (mallopt(3) `M_ARENA_MAX`). Only arenas created afterwards
/// are affected, so call it before other threads allocate.
void clinux_limit_allocator_arenas(int count);

// Anonymous temporary files (AnonymousFile.c).

/// A new empty file in `directory`, open for reading and writing, closed on exec, that has no name: made
/// with O_TMPFILE, or where the file system lacks it, made and unlinked at once. The kernel frees it when
/// its last descriptor closes, however the process ends. Returns the descriptor, or -1 with errno set.
int clinux_anonymous_file(const char *directory);

#endif
