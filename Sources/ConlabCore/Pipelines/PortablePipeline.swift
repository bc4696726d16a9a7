/// A pipeline that can be shipped to another process, like ``PortableBatch``: the process strategy sends it
/// once to every worker, then asks for single (stage, item) units with their input values.
public protocol PortablePipeline: PipelineWork, Codable {
    /// The name a worker looks the pipeline's type up by.
    static var pipelineKind: String { get }
}
