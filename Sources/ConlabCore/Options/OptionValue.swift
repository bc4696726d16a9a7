/// The value of one strategy option, as a scenario writes it.
public enum OptionValue: Sendable, Hashable {
    /// An integer, e.g. `10`.
    case integer(Int)
    /// A number with a fraction, e.g. `0.5`.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// Any other scalar, e.g. `10ms` or `blocking`.
    case string(String)
}
