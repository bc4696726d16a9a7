/// When an option shows in its strategy's label (`pool(max_workers: 10)`), which logs, summaries and
/// `conlab compare` use to tell configurations apart.
public enum OptionLabeling: Sendable, Hashable {
    /// Always, with its value: `pool(max_workers: 10)` even when 10 is the default.
    case always
    /// When its value is not the default: `async(blocking_waits: true)`, but `async` for `false`.
    case unlessDefault
    /// Never: the option changes how the strategy runs, not what it is compared as.
    case never
}
