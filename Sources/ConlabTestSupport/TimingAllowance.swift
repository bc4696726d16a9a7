import Glibc

/// How much longer than usual a timed test may take: more under ThreadSanitizer, which slows everything.
///
/// A test's time bound says what it checks (overlapped waits take far less than the same waits one after
/// another); under TSan every memory access is checked and the same code runs several times slower, so
/// such a bound is multiplied by ``factor``. A bound that then no longer proves its point (overlapped
/// must still be well under serial) is the test's to keep: it chooses the margin, this type only widens it.
///
/// ```swift
/// #expect(elapsed < TimingAllowance.scaled(.seconds(10)))
/// ```
public enum TimingAllowance {
    /// Whether this process runs under ThreadSanitizer: its runtime, linked in by `-sanitize=thread`,
    /// defines `__tsan_init`. Found at run time, so a test needs no flag from whoever started it.
    public static let underThreadSanitizer: Bool = dlsym(nil, "__tsan_init") != nil

    /// The multiplier for time bounds: 1, or 15 under ThreadSanitizer. Runs of the suite under TSan, on
    /// 2 cores shared with other builds, took up to 9.4 times a bound that normal builds meet with room
    /// to spare (the async overlap test: 94 s against 10 s); 15 leaves a margin on that.
    public static let factor: Double = underThreadSanitizer ? 15 : 1

    /// `bound`, widened by ``factor``.
    public static func scaled(_ bound: Duration) -> Duration { bound * factor }

    /// A suite's time limit in whole minutes (what `.timeLimit` takes), widened by ``factor``: a test that
    /// hangs still fails, but one kept waiting by TSan's slowdown does not.
    public static func minutes(_ minutes: Int) -> Int { Int((Double(minutes) * factor).rounded(.up)) }
}
