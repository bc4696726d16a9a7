import ConlabCore
import ConlabIO
import Foundation
import Synchronization

/// The outputs of one phase as workers report them, and the first failure.
final class ProcessPhaseOutcome<Output: Codable & Sendable>: Sendable {
    private struct State {
        var outputs: [Output?]
        var failure: (index: Int, error: any Error)?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(outputs: Array(repeating: nil, count: count)))
    }

    var isFinished: Bool { state.withLock { $0.failure != nil } }

    func fail(_ error: any Error) {
        state.withLock { $0.failure = $0.failure ?? (Int.max, error) }
    }

    func record<Batch: UnitBatch>(_ reply: WorkerMessage, for units: Range<Int>, batch: Batch) {
        // Decoded before taking the lock: the other workers' threads record beside this one.
        let decoded: Result<[Output], any Error>?
        if case .outputs(units.lowerBound, let payloads) = reply, payloads.count == units.count {
            let decoder = JSONDecoder()
            decoded = Result { try payloads.map { try decoder.decode(Output.self, from: Data($0.utf8)) } }
        } else {
            decoded = nil
        }
        state.withLock { state in
            switch (reply, decoded) {
            case (_, .success(let outputs)?):
                for (index, output) in zip(units, outputs) { state.outputs[index] = output }
            case (_, .failure(let error)?):
                state.failure = state.failure ?? (units.lowerBound, error)
            case (.failure(let index, let failure), nil) where units.contains(index):
                // The lowest index wins, as in the serial reference.
                if state.failure.map({ index < $0.index }) ?? true { state.failure = (index, failure) }
            case (.protocolError(let message), nil):
                state.failure = state.failure ?? (units.lowerBound, ProcessProtocolError(message: message))
            default:
                state.failure =
                    state.failure
                    ?? (units.lowerBound, ProcessProtocolError(message: "unexpected reply for units \(units)"))
            }
        }
    }

    func outputs() throws -> [Output] {
        try state.withLock { state in
            if let failure = state.failure { throw failure.error }
            return state.outputs.map { $0! }
        }
    }
}
