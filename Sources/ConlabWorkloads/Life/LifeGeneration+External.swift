public import ConlabCore
import ConlabLatency

extension LifeGeneration: ExternalBatch {
    /// `life.generation`, as for worker processes.
    public static var externalKind: String { batchKind }

    /// `{"generation", "rows", "columns", "cells", "io"}`: the grid as one string of `*` (alive) and `-`
    /// (empty), row by row without separators, and the I/O its cells wait on (`steps` in order, `seed`, and
    /// the model). One byte a cell keeps a million-cell generation at a megabyte each way.
    public func externalWork() -> String {
        var cells: [UInt8] = []
        cells.reserveCapacity(grid.count)
        for alive in grid.cells { cells.append(alive ? 0x2A : 0x2D) }
        let steps = LifeStep.allCases.filter { io.steps.contains($0) }.map { #""\#($0.rawValue)""# }
        let ioJSON =
            #"{"steps":[\#(steps.joined(separator: ","))],"seed":\#(io.random.seed),"model":\#(io.model.externalJSON)}"#
        return #"{"generation":\#(phase),"rows":\#(grid.rows),"columns":\#(grid.columns),"cells":""#
            + String(decoding: cells, as: UTF8.self) + #"","io":\#(ioJSON)}"#
    }

    /// Each cell's next state, from a string of exactly `rows × columns` `*` and `-`, row by row.
    public func outputs(fromExternal value: ExternalValue) throws(ExternalResultError) -> [Bool] {
        guard case .string(let results) = value else {
            throw ExternalResultError("results are \(value.described); a generation's results are a string of cells")
        }
        var outputs: [Bool] = []
        outputs.reserveCapacity(grid.count)
        for byte in results.utf8 {
            switch byte {
            case 0x2A: outputs.append(true)
            case 0x2D: outputs.append(false)
            default:
                throw ExternalResultError(
                    "results hold \(Self.describe(byte)) at cell \(outputs.count); a generation's results are "
                        + "only '*' (alive) and '-' (empty)"
                )
            }
        }
        guard outputs.count == grid.count else {
            throw ExternalResultError(
                "results hold \(outputs.count) cells; generation \(phase) of a \(grid.rows)×\(grid.columns) grid "
                    + "has \(grid.count)"
            )
        }
        return outputs
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "the byte \(byte)"
    }
}
