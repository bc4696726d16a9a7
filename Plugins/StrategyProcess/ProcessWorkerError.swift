import ConlabCore
import ConlabIO

/// A worker process that stopped answering: it crashed, or said something that is not a message.
struct ProcessWorkerError: Error, CustomStringConvertible {
    let description: String

    /// Reaps the worker to learn how it ended; the session's own wait then returns the same answer. The unit
    /// it died in is the last one of `units` it noted in `progress` as started.
    @available(*, noasync)
    init<Batch: UnitBatch>(worker: ChildProcess, progress: WorkerProgress?, units: Range<Int>?, batch: Batch) {
        let ended = worker.wait()
        let running: String
        if let units {
            let noted = progress?.unit.flatMap { units.contains($0) ? $0 : nil }
            if let index = noted ?? (units.count == 1 ? units.lowerBound : nil) {
                running = " while running \(batch.unit(at: index).coordinates)"
            } else {
                // It died before noting any of them, or no page could be shared with it.
                let first = batch.unit(at: units.lowerBound).coordinates
                let last = batch.unit(at: units.upperBound - 1).coordinates
                running =
                    " while running \(first.phaseName) \(first.phase), one of its \(units.count) units from "
                    + "\(first.name) to \(last.name)"
            }
        } else {
            running = " while idle, before its next unit"
        }
        description = "worker process \(worker.pid) ended (\(ended))\(running)"
    }
}
