public import ConlabCore
import ConlabLatency

extension PipelineWorkload: ExternalPipeline {
    /// `pipeline`.
    public static var externalKind: String { pipelineKind }

    /// `{"items","seed","buffer","discipline","stages"}`: everything a program needs to run the pipeline and
    /// draw what conlab draws. `buffer` is `null` for unbounded; `discipline` is `{"kind":"blocking"}` or
    /// `{"kind":"polling","interval_ns":N}`; each stage is `{"name","workers","io","cpu_ns"}`, with `io` the
    /// I/O model its items wait on (as in `life.generation`'s `io.model`) or `null`.
    public func externalWork() -> String {
        let discipline: String
        switch self.discipline {
        case .blocking: discipline = #"{"kind":"blocking"}"#
        case .polling(let interval): discipline = #"{"kind":"polling","interval_ns":\#(interval.wholeNanoseconds)}"#
        }
        let stages = work.map { stage in
            #"{"name":\#(Self.quoted(stage.stage.name)),"workers":\#(stage.stage.workers),"#
                + #""io":\#(stage.io?.externalJSON ?? "null"),"cpu_ns":\#(stage.cpu.wholeNanoseconds)}"#
        }
        return #"{"items":\#(itemCount),"seed":\#(random.seed),"buffer":\#(buffer.map(String.init) ?? "null"),"#
            + #""discipline":\#(discipline),"stages":[\#(stages.joined(separator: ","))]}"#
    }

    /// Reads `{"delivered":[[item, value, latency_ns], ...]}`, in the order the items left the last stage, and
    /// the optional figures `busy_ns` and `max_depth` (one per stage), `polls` and `empty_polls`.
    public func record(
        fromExternal results: ExternalValue,
        into recorder: PipelineRecorder
    ) throws(ExternalResultError) {
        guard case .object(let fields) = results, case .array(let delivered)? = fields["delivered"] else {
            throw ExternalResultError(
                "results are \(results.described); a pipeline's results are an object whose 'delivered' is an "
                    + "array of [item, value, latency_ns]"
            )
        }
        for (position, entry) in delivered.enumerated() {
            guard case .array(let parts) = entry, parts.count == 3, let item = parts[0].intValue,
                item < itemCount, let value = parts[1].unsignedValue, let latency = parts[2].intValue
            else {
                throw ExternalResultError(
                    "delivery \(position) is \(entry.described); each is [item, value, latency_ns] with an item "
                        + "in 0..<\(itemCount), a value in 0...2⁶⁴−1 and a latency in whole nanoseconds from 0"
                )
            }
            recorder.delivered(item: item, value: value, latency: .nanoseconds(latency))
        }
        for (stage, busy) in try perStage(fields["busy_ns"], "busy_ns").enumerated() {
            recorder.busy(stage: stage, .nanoseconds(busy))
        }
        for (stage, depth) in try perStage(fields["max_depth"], "max_depth").enumerated() {
            recorder.depth(stage: stage, depth)
        }
        let polls = try count(fields["polls"], "polls")
        let empty = try count(fields["empty_polls"], "empty_polls")
        if polls > 0 || empty > 0 { recorder.polls(polls, empty: empty) }
    }

    /// An optional array of one whole number per stage.
    private func perStage(_ value: ExternalValue?, _ key: String) throws(ExternalResultError) -> [Int] {
        guard let value, value != .null else { return [] }
        guard case .array(let numbers) = value, numbers.count == work.count else {
            throw ExternalResultError(
                "'\(key)' is \(value.described); it is an array of \(work.count) whole numbers, one per stage"
            )
        }
        var counts: [Int] = []
        for number in numbers {
            guard let whole = number.intValue else {
                throw ExternalResultError("'\(key)' holds \(number.described), not a whole number from 0")
            }
            counts.append(whole)
        }
        return counts
    }

    /// An optional whole number.
    private func count(_ value: ExternalValue?, _ key: String) throws(ExternalResultError) -> Int {
        guard let value, value != .null else { return 0 }
        guard let whole = value.intValue else {
            throw ExternalResultError("'\(key)' is \(value.described), not a whole number from 0")
        }
        return whole
    }

    /// `name` as a JSON string.
    private static func quoted(_ name: String) -> String {
        var text = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
