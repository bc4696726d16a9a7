// Synchronization.Mutex made visible to ThreadSanitizer; compiled to nothing outside a TSan build.
//
// Mutex's fast paths are inlined into conlab's own (instrumented) code: an acquiring compare-and-swap to
// lock, a releasing one to unlock, and TSan sees both. Under contention, though, both sides go to
// `_lockSlow`, `_tryLockSlow` and `_unlockSlow` in libswiftSynchronization.so, which is not instrumented
// and hands the lock over through a priority-inheritance futex: TSan sees no acquire and no release, and
// reports every pair of `withLock` bodies that met on a contended lock as a data race (about 650 reports
// in one run of the suite; swiftlang/swift#57803 is the same blindness for the runtime's own locks).
//
// So a TSan build defines those three symbols itself. conlab's code links against these definitions
// (an executable's own symbol wins over a shared library's); each calls the library's original, found
// with dlsym(RTLD_NEXT), and tells TSan what it did: an acquire on the mutex's address after a lock, a
// release before an unlock. TSan keeps the atomics' happens-before on the same address, so fast and slow
// paths pair up. The symbols are Swift methods: `self` (the handle's address, the type being address-only)
// arrives in the swiftself register, which Clang's `swift_context` parameter names under `swiftcall`.
// A two-thread probe (200,000 contended `withLock` increments each) gave one race report per run
// without this file and none with it, at -O and -Onone.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLINUX_MUTEX_SANITIZER 1
#endif
#endif
#if !defined(CLINUX_MUTEX_SANITIZER) && defined(__SANITIZE_THREAD__)
#define CLINUX_MUTEX_SANITIZER 1
#endif

#ifdef CLINUX_MUTEX_SANITIZER
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

// The TSan runtime's annotations (<sanitizer/tsan_interface.h>, declared here so no header is needed).
void __tsan_acquire(void *address);
void __tsan_release(void *address);

#define SWIFT_METHOD __attribute__((swiftcall))
#define SWIFT_SELF __attribute__((swift_context))

#define LOCK_SLOW "$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF"
#define TRY_LOCK_SLOW "$s15Synchronization12_MutexHandleV12_tryLockSlowSbyF"
#define UNLOCK_SLOW "$s15Synchronization12_MutexHandleV11_unlockSlowyyF"

typedef SWIFT_METHOD void (*lock_slow_function)(uint32_t self_id, void *SWIFT_SELF handle);
typedef SWIFT_METHOD bool (*try_lock_slow_function)(void *SWIFT_SELF handle);
typedef SWIFT_METHOD void (*unlock_slow_function)(void *SWIFT_SELF handle);

// The library's own definition of `name`, looked up once. Two threads may both look it up; they store
// the same address.
static void *original(void **cache, const char *name) {
    void *found = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (found) return found;
    found = dlsym(RTLD_NEXT, name);
    if (!found) {
        // Without the original no lock can be taken: stop with the reason rather than deadlock.
        fprintf(stderr, "MutexSanitizer: %s not found in libswiftSynchronization\n", name);
        abort();
    }
    __atomic_store_n(cache, found, __ATOMIC_RELEASE);
    return found;
}

SWIFT_METHOD void clinux_mutex_lock_slow(uint32_t self_id, void *SWIFT_SELF handle) __asm__(LOCK_SLOW);
SWIFT_METHOD void clinux_mutex_lock_slow(uint32_t self_id, void *SWIFT_SELF handle) {
    static void *cache;
    ((lock_slow_function)original(&cache, LOCK_SLOW))(self_id, handle);
    __tsan_acquire(handle);
}

SWIFT_METHOD bool clinux_mutex_try_lock_slow(void *SWIFT_SELF handle) __asm__(TRY_LOCK_SLOW);
SWIFT_METHOD bool clinux_mutex_try_lock_slow(void *SWIFT_SELF handle) {
    static void *cache;
    bool locked = ((try_lock_slow_function)original(&cache, TRY_LOCK_SLOW))(handle);
    if (locked) __tsan_acquire(handle);
    return locked;
}

SWIFT_METHOD void clinux_mutex_unlock_slow(void *SWIFT_SELF handle) __asm__(UNLOCK_SLOW);
SWIFT_METHOD void clinux_mutex_unlock_slow(void *SWIFT_SELF handle) {
    static void *cache;
    __tsan_release(handle);
    ((unlock_slow_function)original(&cache, UNLOCK_SLOW))(handle);
}
#endif
