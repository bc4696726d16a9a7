import ConlabCore
import ConlabToolkit

/// One run of a strategy program: each phase sent whole, its answer read back within the phase timeout.
struct ExternalSession: StrategySession {
    let program: ExternalProgram
    let manifest: StrategyManifest
    /// What the manifest states, with the options' values.
    let concurrency: Int?
    let phaseTimeout: Duration
    /// How the program is told the run is over.
    let farewell: ProgramEnding.Farewell
    /// Told how the program ended when the session let it go.
    let whenEnded: (@Sendable (ProgramEnding) -> Void)?

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        guard let external = batch as? any ExternalBatch else {
            throw StrategyRefusal(
                "\(manifest.name): this workload's phases have no form a program outside conlab can read"
            )
        }
        let kind = type(of: external).externalKind
        guard manifest.workloads.contains(kind) else {
            throw StrategyRefusal(
                "\(manifest.name) does not run \(kind) work; its manifest lists \(manifest.workloads.joined(separator: ", "))"
            )
        }
        let line =
            #"{"type":"phase","phase":\#(batch.phase),"kind":"\#(kind)","work":"# + external.externalWork() + "}"
        let program = self.program
        let timeout = phaseTimeout
        return try await OSThread.run(name: "conlab-external") { cancellation in
            let deadline = ContinuousClock.now + timeout
            // `generation 1`: the workload's own word for a phase.
            let phaseName = batch.count > 0 ? batch.unit(at: 0).coordinates.phaseName : "phase"
            let activity = "\(phaseName) \(batch.phase)"
            try program.send(line, deadline: deadline, cancellation: cancellation)
            let reply = try program.receive(
                within: timeout,
                deadline: deadline,
                cancellation: cancellation,
                doing: activity,
                // Results are no larger than the work that was sent (a byte a cell, for Life) and the envelope, or
                // than what the kind allows beyond it (every divisor of every CPU unit).
                longest: ExternalProgram.shortestLimit + 2 * line.utf8.count + external.externalResultsAllowance
            )
            if reply.type == "error" {
                throw program.failure("it reported an error in \(activity): \(reply.message ?? "(no message)")")
            }
            guard reply.phase == batch.phase else {
                throw program.violation(
                    "it answered \(activity) with a '\(reply.type)' message for phase "
                        + (reply.phase.map(String.init) ?? "(none)")
                )
            }
            switch reply.type {
            case "results":
                guard let results = reply.results else {
                    throw program.violation("its results for \(activity) have no 'results'")
                }
                do {
                    return try Self.outputs(of: external, from: results, as: Batch.Unit.Output.self)
                } catch {
                    throw program.violation("its results for \(activity) are malformed: \(error)")
                }
            case "failure":
                throw try Self.unitFailure(reply, in: batch, program: program)
            default:
                throw program.violation("it answered \(activity) with a '\(reply.type)' message")
            }
        }
    }

    /// Sends a pipeline whole (the protocol's `pipeline` kind) and records what its answer says left the last
    /// stage; a failure it reports is the unit failure of that stage and item.
    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        guard let external = work as? any ExternalPipeline else {
            throw StrategyRefusal("\(manifest.name): this pipeline has no form a program outside conlab can read")
        }
        let kind = type(of: external).externalKind
        guard manifest.workloads.contains(kind) else {
            throw StrategyRefusal(
                "\(manifest.name) does not run \(kind) work; its manifest lists \(manifest.workloads.joined(separator: ", "))"
            )
        }
        let line = #"{"type":"phase","phase":0,"kind":"\#(kind)","work":"# + external.externalWork() + "}"
        let program = self.program
        let timeout = phaseTimeout
        try await OSThread.run(name: "conlab-external") { cancellation in
            let deadline = ContinuousClock.now + timeout
            let activity = "the pipeline"
            try program.send(line, deadline: deadline, cancellation: cancellation)
            let reply = try program.receive(
                within: timeout,
                deadline: deadline,
                cancellation: cancellation,
                doing: activity,
                // A delivery is three numbers: at most about 50 bytes an item.
                longest: ExternalProgram.shortestLimit + 64 * work.itemCount
            )
            if reply.type == "error" {
                throw program.failure("it reported an error in \(activity): \(reply.message ?? "(no message)")")
            }
            guard reply.phase == 0 else {
                throw program.violation(
                    "it answered \(activity) with a '\(reply.type)' message for phase "
                        + (reply.phase.map(String.init) ?? "(none)") + "; a pipeline is phase 0"
                )
            }
            switch reply.type {
            case "results":
                guard let results = reply.results else {
                    throw program.violation("its results for \(activity) have no 'results'")
                }
                do {
                    try external.record(fromExternal: results, into: recorder)
                } catch {
                    throw program.violation("its results for \(activity) are malformed: \(error)")
                }
            case "failure":
                guard let stage = reply.stage, work.stages.indices.contains(stage),
                    let item = reply.index, (0..<work.itemCount).contains(item)
                else {
                    throw program.violation(
                        "it reported a failure of stage \(reply.stage.map(String.init) ?? "(none)"), item "
                            + "\(reply.index.map(String.init) ?? "(none)"); the pipeline has stages "
                            + "0..<\(work.stages.count) and items 0..<\(work.itemCount)"
                    )
                }
                throw try Self.unitFailure(
                    reply,
                    at: work.unit(stage: stage, item: item, input: 0).coordinates,
                    program: program
                )
            default:
                throw program.violation("it answered \(activity) with a '\(reply.type)' message")
            }
        }
    }

    /// The stages' flow shop with no stage running more items at once than the program's concurrency, and never
    /// faster than that many workers can do every wait: a serial program's floor is the sum of the waits.
    func idealPipelineDuration(of profile: PhaseProfile, stages: [PipelineStage]) -> Duration {
        IdealSchedule.pipeline(profile, stages: stages, concurrency: concurrency)
    }

    /// The outputs `batch` reads from `results`, as the caller's output type (the same type: `batch` is the
    /// caller's batch).
    private static func outputs<External: ExternalBatch, Output>(
        of batch: External,
        from results: ExternalValue,
        as type: Output.Type
    ) throws(ExternalResultError) -> [Output] {
        let outputs = try batch.outputs(fromExternal: results)
        guard let typed = outputs as? [Output] else {
            throw ExternalResultError("the work kind's outputs are not of the phase's output type")
        }
        return typed
    }

    /// The unit failure a `failure` message reports, checked against the batch.
    @available(*, noasync)
    private static func unitFailure<Batch: UnitBatch>(
        _ reply: ProgramMessage,
        in batch: Batch,
        program: ExternalProgram
    ) throws -> UnitFailure {
        guard let index = reply.index, (0..<batch.count).contains(index) else {
            throw program.violation(
                "it reported a failure of unit \(reply.index.map(String.init) ?? "(none)"); phase \(batch.phase) "
                    + "has units 0..<\(batch.count)"
            )
        }
        return try unitFailure(reply, at: batch.unit(at: index).coordinates, program: program)
    }

    /// The unit failure a `failure` message reports for the unit at `coordinates`.
    @available(*, noasync)
    private static func unitFailure(
        _ reply: ProgramMessage,
        at coordinates: UnitCoordinates,
        program: ExternalProgram
    ) throws -> UnitFailure {
        switch (reply.reason, reply.waitedNanoseconds) {
        case ("io_failed", _):
            return UnitFailure(coordinates: coordinates, step: reply.step, reason: .ioFailed)
        case ("timed_out", let waited?):
            return UnitFailure(coordinates: coordinates, step: reply.step, reason: .timedOut(.nanoseconds(waited)))
        default:
            throw program.violation(
                "it reported a failure of \(coordinates) for reason \(reply.reason ?? "(none)"); the reasons are "
                    + "io_failed, and timed_out with waited_ns"
            )
        }
    }

    /// Tells the program to end, and kills it if it has not within two seconds; reaps it either way.
    func close() async {
        let program = self.program
        let farewell = self.farewell
        let whenEnded = self.whenEnded
        _ = try? await OSThread.run(name: "conlab-external-end") { _ in
            if let ending = program.end(grace: .seconds(2), farewell: farewell).ending { whenEnded?(ending) }
        }
    }
}
