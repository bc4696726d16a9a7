import ConlabCore

/// A line a strategy program writes, decoded (`docs/strategy-protocol.md`): its greeting, a phase's results,
/// a unit's failure, or an error that ends the conversation.
struct ProgramMessage: Decodable, Sendable {
    /// `hello`, `results`, `failure` or `error`.
    var type: String
    /// `hello`: the protocol version the program speaks.
    var version: Int?
    /// `results`, `failure`: the phase answered.
    var phase: Int?
    /// `results`: the outputs, in the form the work kind defines.
    var results: ExternalValue?
    /// `failure`: the unit that failed, by index in its phase (a pipeline's: the item).
    var index: Int?
    /// `failure` in a pipeline: the stage that failed, by index.
    var stage: Int?
    /// `failure`: the step that failed, e.g. `game_logic`.
    var step: String?
    /// `failure`: `io_failed` or `timed_out`.
    var reason: String?
    /// `failure` with `timed_out`: how long the call waited, in nanoseconds.
    var waitedNanoseconds: Int64?
    /// `error`: what went wrong, in the program's words.
    var message: String?

    private enum CodingKeys: String, CodingKey {
        case type, version, phase, results, index, stage, step, reason, message
        case waitedNanoseconds = "waited_ns"
    }
}
