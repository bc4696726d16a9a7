/// The units of one fan-out/fan-in phase, made on demand so a million-unit phase costs no array of units.
///
/// Contract: `unit(at:)` is pure — any thread may call it for any index in `0..<count`, in any order,
/// any number of times, and gets an equal unit each time.
public protocol UnitBatch: Sendable {
    /// The units' type.
    associatedtype Unit: WorkUnit

    /// The phase these units belong to, from 0.
    var phase: Int { get }
    /// How many units the phase has.
    var count: Int { get }

    /// The unit at `index`.
    func unit(at index: Int) -> Unit
}
