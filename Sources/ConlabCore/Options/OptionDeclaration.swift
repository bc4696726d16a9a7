/// An option as listings, the docs and ``StrategyOptions/values(for:)`` see it, whatever the type of its value.
///
/// ``StrategyOption`` is the one conforming type; ``Strategy/options`` lists a strategy's options as
/// `[any OptionDeclaration]` so that options of different types share one list.
public protocol OptionDeclaration: Sendable {
    /// The key scenarios write: `max_workers`.
    var key: String { get }
    /// What the option does, the form of its value and its default, for `conlab strategies`:
    /// `threads in the pool, exactly (an integer in 1...4096; default 10)`.
    var summary: String { get }
    /// The option as the strategies table of `docs/scenario-format.md` lists it: `` `max_workers` (default `10`) ``.
    var markdown: String { get }

    /// Reads the option's entry in `options`, or its default when it has none, into `values`; throws when the
    /// entry is not of the declared form. ``StrategyOptions/values(for:)`` calls it; strategies do not.
    func read(from options: StrategyOptions, into values: inout OptionValues) throws(OptionError)
}
