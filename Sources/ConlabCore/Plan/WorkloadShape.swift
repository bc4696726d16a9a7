/// The shape of the work a strategy is asked to run.
///
/// Shapes, not workload kinds, are what strategies support: a Life generation, a batch of CPU jobs and a
/// fan-out of child processes are all ``phased``, so a strategy that runs phases runs all of them.
public enum WorkloadShape: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Phases of independent units: fan-out, then fan-in, then the next phase.
    case phased
    /// Items flowing through stages connected by queues (item 55).
    case pipeline

    /// Orders shapes by declaration, for stable listings.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
