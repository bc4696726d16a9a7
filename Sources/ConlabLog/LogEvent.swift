/// An event of the structured log. Field by field in `docs/log-schema.md`.
///
/// The same values are written by `conlab run` and read back by ``LogReader``: a payload decodes from
/// exactly the fields it encodes.
public enum LogEvent: Sendable, Equatable {
    /// A `conlab run` began.
    case runStarted(RunStarted)
    /// One strategy finished one phase.
    case phaseFinished(PhaseFinished)
    /// A unit failed and its failure reached the caller.
    case unitFailed(UnitFailed)
    /// A few of a grid workload's reference grids, for pictures.
    case referenceFrames(ReferenceFrames)
    /// A sample of a round's units as slices of time (under `--trace`).
    case unitTimeline(UnitTimeline)
    /// One strategy's result for one scenario.
    case result(RunResult)
    /// The run ended.
    case runFinished(RunFinished)

    /// The `event` field.
    public var name: String {
        switch self {
        case .runStarted: "run_started"
        case .phaseFinished: "phase_finished"
        case .unitFailed: "unit_failed"
        case .referenceFrames: "reference_frames"
        case .unitTimeline: "unit_timeline"
        case .result: "result"
        case .runFinished: "run_finished"
        }
    }

    /// The `result` payload, or `nil` for any other event.
    public var result: RunResult? {
        if case .result(let result) = self { result } else { nil }
    }

    /// The `run_started` payload, or `nil` for any other event.
    public var runStarted: RunStarted? {
        if case .runStarted(let started) = self { started } else { nil }
    }

    /// The `run_finished` payload, or `nil` for any other event.
    public var runFinished: RunFinished? {
        if case .runFinished(let finished) = self { finished } else { nil }
    }

    /// The `phase_finished` payload, or `nil` for any other event.
    public var phaseFinished: PhaseFinished? {
        if case .phaseFinished(let phase) = self { phase } else { nil }
    }

    /// The `reference_frames` payload, or `nil` for any other event.
    public var referenceFrames: ReferenceFrames? {
        if case .referenceFrames(let frames) = self { frames } else { nil }
    }

    /// The `unit_timeline` payload, or `nil` for any other event.
    public var unitTimeline: UnitTimeline? {
        if case .unitTimeline(let timeline) = self { timeline } else { nil }
    }

    /// The `unit_failed` payload, or `nil` for any other event.
    public var unitFailed: UnitFailed? {
        if case .unitFailed(let failure) = self { failure } else { nil }
    }

    /// Writes the payload's fields into the line's object, next to the envelope's.
    func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .runStarted(let payload): try payload.encode(to: encoder)
        case .phaseFinished(let payload): try payload.encode(to: encoder)
        case .unitFailed(let payload): try payload.encode(to: encoder)
        case .referenceFrames(let payload): try payload.encode(to: encoder)
        case .unitTimeline(let payload): try payload.encode(to: encoder)
        case .result(let payload): try payload.encode(to: encoder)
        case .runFinished(let payload): try payload.encode(to: encoder)
        }
    }

    /// Reads the payload of the event called `name` from the line's object; `nil` for an event this reader
    /// does not know, which a newer `conlab.v1` may add and a reader must skip.
    init?(named name: String, from decoder: any Decoder) throws {
        switch name {
        case "run_started": self = .runStarted(try RunStarted(from: decoder))
        case "phase_finished": self = .phaseFinished(try PhaseFinished(from: decoder))
        case "unit_failed": self = .unitFailed(try UnitFailed(from: decoder))
        case "reference_frames": self = .referenceFrames(try ReferenceFrames(from: decoder))
        case "unit_timeline": self = .unitTimeline(try UnitTimeline(from: decoder))
        case "result": self = .result(try RunResult(from: decoder))
        case "run_finished": self = .runFinished(try RunFinished(from: decoder))
        default: return nil
        }
    }
}
