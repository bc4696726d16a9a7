/// A batch that can be shipped to another process: encoded once per phase, decoded by a worker that knows
/// its kind, and run there unit by unit with the same draws and results as in-process.
public protocol PortableBatch: UnitBatch, Codable {
    /// The name a worker looks the batch's type up by, e.g. `life.generation`.
    static var batchKind: String { get }
}
