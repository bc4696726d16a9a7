public import ConlabCore

/// Units as work items on Dispatch's global queue, `width` of them in flight, each blocking its thread in
/// every wait: what a Swift program written before async/await does with blocking calls.
///
/// Dispatch sizes its pool for work that computes, not for work that blocks: on Linux it adds a thread
/// only when it sees its threads blocked, so a phase may start with fewer than `width` units waiting at
/// once. conlab's ideal floor assumes `width`; the gap between the two is what this strategy measures.
public struct DispatchStrategy: Strategy {
    /// `dispatch`.
    public static let name = "dispatch"
    /// What it does.
    public static let summary =
        "Units as work items on Dispatch's global queue, width at once, each blocking its thread in every wait."
    /// `width`: the work items in flight, always in the label.
    static let widthOption = StrategyOption<Int>(
        "width",
        .integer(in: 1...64),
        default: 8,
        inLabel: .always,
        help: "work items in flight at once"
    )
    /// `width`.
    public static let options: [any OptionDeclaration] = [widthOption]

    /// The work items in flight at once.
    public let width: Int
    /// `dispatch(width: 8)`.
    public let label: String

    /// Reads `width`.
    public init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        width = values[Self.widthOption]
        label = values.label(Self.name)
    }

    /// Up to `width` of Dispatch's threads, each running one unit at a time.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: width, schedule: .units(concurrency: width))
    }

    /// Nothing to start: Dispatch's pool is the process's own.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        DispatchSession(width: width, services: context.services, unitTimings: context.unitTimings)
    }
}
