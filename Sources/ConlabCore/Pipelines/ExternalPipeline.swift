/// A pipeline that a program in another language can run whole, like ``ExternalBatch`` for phases: the
/// pipeline crosses the pipe once, as one JSON object, and what left its last stage comes back as one answer
/// (the strategy protocol's `pipeline` kind, `docs/strategy-protocol.md`).
///
/// The program draws every source value and every wait from the seed with the documented counter-based
/// generator, so it waits exactly what conlab's own strategies wait; conlab keeps the clock, holds the run to
/// its ideal floor and checks every item against the serial reference.
///
/// Contract: ``externalWork()`` describes the whole pipeline in the form the protocol documents for
/// ``externalKind``; ``record(fromExternal:into:)`` accepts exactly the results that form defines and records
/// every delivery, in the order the program delivered them, or throws a message saying what was expected.
public protocol ExternalPipeline: PipelineWork {
    /// The work kind the protocol names: `pipeline`.
    static var externalKind: String { get }

    /// The pipeline as the text of one JSON object, in the form the protocol documents.
    func externalWork() -> String

    /// Records into `recorder` what the program's `results` say left the last stage, and the figures it
    /// reported; throws when the results do not have the kind's form.
    func record(fromExternal results: ExternalValue, into recorder: PipelineRecorder) throws(ExternalResultError)
}
