import CLinux
public import ConlabCore

/// The thread a slice ran on, for traces; here rather than in the contract, which asks nothing of the OS.
extension UnitTimings {
    /// The calling thread's kernel id.
    public static var currentThread: Int32 { clinux_gettid() }
}
