public import ConlabCore
import Foundation

/// Units whose output is the name of the thread that ran them, after one 1 ms wait: to check from inside
/// which threads a strategy runs its units on (dispatch workers, a thread of its own, a loop thread).
public struct ThreadNameBatch: UnitBatch {
    /// Always 0.
    public let phase = 0
    /// How many units.
    public let count: Int

    /// `count` units.
    public init(count: Int) {
        self.count = count
    }

    /// Unit `index`.
    public func unit(at index: Int) -> ThreadNameUnit { ThreadNameUnit(index: index) }
}

/// One unit of a ``ThreadNameBatch``.
public struct ThreadNameUnit: WorkUnit {
    let index: Int
    var waited = false

    /// `phase 0, unit N`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "phase", name: "unit \(index)")
    }

    /// Waits 1 ms, then reads the name of the thread it resumed on.
    public mutating func advance() -> UnitStep<String> {
        guard waited else {
            waited = true
            let draw = IODraw(latency: .milliseconds(1), duration: .milliseconds(1), outcome: .completed)
            return .wait(.io(step: "io", draw: draw))
        }
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return .finished(name.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
