public import ConlabCore

/// One phase of a plan as `conlab explain` sees it — or a run of alike phases: how many units, the steps
/// they wait in, and what they wait, exactly or as an expectation.
///
/// A plan too large to compute unit by unit (a million cells for a hundred thousand generations) is
/// described by a few of these instead of a ``PhaseProfile`` per phase, so explaining it costs nothing.
public struct PlannedPhase: Sendable, Hashable {
    /// What the units of the phase wait.
    public enum Waits: Sendable, Hashable {
        /// Every unit's waits, as the serial reference records them.
        case profile(PhaseProfile)
        /// Every unit waits exactly this long in each step, one duration per step (fixed latencies,
        /// timeouts, waits that count as zero).
        case each([Duration])
        /// Each unit's wait in each step has this mean, one per step: an estimate, the waits not drawn.
        case expected([Duration])
        /// Not known without computing the reference: a failure or a timeout may end the run early, or
        /// the latency has no closed-form mean.
        case unknown
    }

    /// Units in each of the phases.
    public var units: Int
    /// The steps units wait in, in the order the reference records them.
    public var steps: [String]
    /// What they wait.
    public var waits: Waits
    /// How many consecutive phases are alike.
    public var repeats: Int

    /// A phase as the reference recorded it.
    public init(profile: PhaseProfile) {
        units = profile.count
        steps = profile.steps
        waits = .profile(profile)
        repeats = 1
    }

    /// `repeats` alike phases of `units` units each, waiting `waits` in `steps`.
    public init(units: Int, steps: [String], waits: Waits, repeats: Int = 1) {
        self.units = units
        self.steps = steps
        self.waits = waits
        self.repeats = repeats
    }

    /// `repeats` phases of `units` units that never wait.
    public static func withoutWaits(units: Int, repeats: Int = 1) -> PlannedPhase {
        PlannedPhase(units: units, steps: [], waits: .each([]), repeats: repeats)
    }

    /// Whether the waits are known exactly (recorded, or alike by construction).
    public var isExact: Bool {
        switch waits {
        case .profile, .each: true
        case .expected, .unknown: false
        }
    }

    /// The profile the reference would record for one of the phases, when it is known exactly; for
    /// checking a closed form against the reference.
    public var exactProfile: PhaseProfile? {
        switch waits {
        case .profile(let profile): return profile
        case .each(let waits):
            var profile = PhaseProfile()
            for _ in 0..<units {
                profile.startUnit()
                for (step, wait) in zip(steps, waits) { profile.record(step: step, duration: wait) }
            }
            profile.finish()
            return profile
        case .expected, .unknown: return nil
        }
    }
}
