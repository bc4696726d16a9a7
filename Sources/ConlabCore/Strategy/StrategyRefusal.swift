/// A strategy declines a plan before starting it, because running it would harm the machine
/// (more threads than the system allows, say). The message names the numbers and the way out.
public struct StrategyRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, with the numbers: what the plan needs, the limit, where the limit comes from, how to change it.
    public var reason: String

    /// Creates a refusal.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
