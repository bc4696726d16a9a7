import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How many cores conlab may use: the CPUs of its affinity mask (`taskset -c 0 conlab …` gives one), as
/// Go's `runtime.NumCPU` and Python's `os.process_cpu_count` count them. A CPU quota set by a cgroup is not
/// taken into account.
///
/// The spin slots, the timer shards, the default worker counts and the `cores` a run records all use it:
/// counted as online CPUs, they let two threads spin at once on a single allowed core.
public enum UsableCores {
    /// The count, read once; at least 1. It is the main thread's mask, so a pinned thread may read it first.
    public static let count: Int = {
        let allowed = Int(clinux_allowed_cpu_count())
        return max(1, allowed > 0 ? allowed : Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()
}
