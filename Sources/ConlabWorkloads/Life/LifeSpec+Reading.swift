import ConlabCore
import ConlabLatency
public import ConlabScenario
import ConlabToolkit
import Foundation

extension LifeSpec {
    /// Reads `rows`, `columns`, `generations`, `pattern` and `io`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> LifeSpec? {
        let rows = mapping.required("rows", form: "a whole number of rows").flatMap {
            reader.integer($0, "workload.rows", in: 1...100_000)
        }
        let columns = mapping.required("columns", form: "a whole number of columns").flatMap {
            reader.integer($0, "workload.columns", in: 1...100_000)
        }
        let generations = mapping.required("generations", form: "how many generations to compute").flatMap {
            reader.integer($0, "workload.generations", in: 1...100_000)
        }
        let patternNode = mapping.required(
            "pattern",
            form: "a pattern name, or a mapping with 'named', 'cells', 'picture' or 'random'"
        )
        let pattern = patternNode.flatMap { readPattern($0, reader: reader) }
        let ioNode = mapping.optional("io")
        let io = ioNode.map { readLifeIO($0, reader: reader) } ?? ([], IOModel(latency: .fixed(.zero)))
        guard let rows, let columns, let generations, let pattern else { return nil }
        let memory = ProcessMemory.physicalBytes
        let maximumCells = Self.maximumCells(memory: memory)
        if rows * columns > maximumCells {
            reader.report(
                mapping.optional("rows"),
                "workload.rows",
                "a \(rows)×\(columns) grid has \(rows * columns) cells; expected at most \(maximumCells) on this "
                    + "machine (\(memory >> 20) MiB of memory at \(Self.leastBytesPerCell) bytes a cell, the least a run holds)"
            )
            return nil
        }
        if let problem = pattern.problem(rows: rows, columns: columns) {
            reader.report(patternNode, "workload.pattern", problem)
            return nil
        }
        guard let (steps, model) = io else { return nil }
        return LifeSpec(
            rows: rows,
            columns: columns,
            pattern: pattern,
            generations: generations,
            ioSteps: steps,
            io: model
        )
    }

    private static func readPattern(_ node: YAMLNode, reader: NodeReader) -> LifePattern? {
        let path = "workload.pattern"
        let names = LifePattern.NamedPattern.allCases.map(\.rawValue).joined(separator: ", ")
        if let text = reader.scalarText(node) {
            guard let named = LifePattern.NamedPattern(rawValue: text) else {
                reader.expected(
                    node,
                    path,
                    "a pattern name (\(names)) or a mapping with 'named', 'cells', 'picture' or 'random'"
                )
                return nil
            }
            return .named(named, row: 0, column: 0)
        }
        guard let mapping = reader.mapping(node, path) else { return nil }
        defer { mapping.finish() }
        let forms = ["named", "cells", "picture", "random"].filter { mapping.keys.contains($0) }
        guard forms.count == 1, let form = forms.first else {
            reader.report(
                node,
                path,
                "expected exactly one of 'named', 'cells', 'picture' or 'random', found \(forms.isEmpty ? "none" : forms.joined(separator: " and "))"
            )
            _ = ["named", "cells", "picture", "random", "at"].map(mapping.optional)
            return nil
        }
        switch form {
        case "named":
            let at = readAt(mapping, reader: reader)
            guard
                let named = reader.choice(
                    mapping.optional("named")!,
                    mapping.path("named"),
                    as: LifePattern.NamedPattern.self
                ), let at
            else { return nil }
            return .named(named, row: at.0, column: at.1)
        case "picture":
            let at = readAt(mapping, reader: reader)
            let pictureNode = mapping.optional("picture")!
            guard
                let text = reader.string(
                    pictureNode,
                    mapping.path("picture"),
                    "a block of lines of '*' (alive) and '-' (empty)"
                )
            else { return nil }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            .filter { !$0.isEmpty }
            if lines.isEmpty {
                reader.expected(pictureNode, mapping.path("picture"), "a block of lines of '*' (alive) and '-' (empty)")
                return nil
            }
            if let bad = lines.joined().first(where: { $0 != LifeGrid.alive && $0 != LifeGrid.empty }) {
                reader.report(
                    pictureNode,
                    mapping.path("picture"),
                    "expected only '*' (alive) and '-' (empty), found \(NodeReader.quoted(String(bad)))"
                )
                return nil
            }
            guard let at else { return nil }
            return .picture(lines, row: at.0, column: at.1)
        case "cells":
            let cellsNode = mapping.optional("cells")!
            let cellsPath = mapping.path("cells")
            guard let items = reader.sequence(cellsNode, cellsPath, form: "a list of [row, column] pairs") else {
                return nil
            }
            var cells: [LifePattern.GridCell] = []
            cells.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard let pair = readPair(item, reader: reader, path: "\(cellsPath).\(index)") else { continue }
                cells.append(.init(row: pair.0, column: pair.1))
            }
            return cells.count == items.count ? .cells(cells) : nil
        default:
            let randomNode = mapping.optional("random")!
            guard let random = reader.mapping(randomNode, mapping.path("random")) else { return nil }
            defer { random.finish() }
            let density = random.required("density", form: "the chance, 0 to 1, that a cell starts alive").flatMap {
                reader.number($0, random.path("density"), in: 0...1, form: "a number from 0 to 1")
            }
            return density.map { .random(density: $0) }
        }
    }

    private static func readAt(_ mapping: MappingReader, reader: NodeReader) -> (Int, Int)? {
        guard let node = mapping.optional("at") else { return (0, 0) }
        return readPair(node, reader: reader, path: mapping.path("at"))
    }

    private static func readPair(_ node: YAMLNode, reader: NodeReader, path: String) -> (Int, Int)? {
        guard let (first, second) = node.twoItems,
            let row = reader.scalarText(first).flatMap({ Int($0) }), row >= 0,
            let column = reader.scalarText(second).flatMap({ Int($0) }), column >= 0
        else {
            reader.expected(node, path, "[row, column] with two whole numbers from 0")
            return nil
        }
        return (row, column)
    }

    private static func readLifeIO(_ node: YAMLNode, reader: NodeReader) -> (Set<LifeStep>, IOModel)? {
        guard let mapping = reader.mapping(node, "workload.io") else { return nil }
        defer { mapping.finish() }
        let stepForm = "game_logic, count_neighbors or both"
        let steps: Set<LifeStep>? = mapping.required("step", form: "which step waits: \(stepForm)").flatMap { node in
            switch reader.scalarText(node) {
            case "both": return Set(LifeStep.allCases)
            case let text?: if let step = LifeStep(rawValue: text) { return [step] }
            case nil: break
            }
            reader.expected(node, mapping.path("step"), stepForm)
            return nil
        }
        let model = IOModelReader.read(mapping, reader: reader)
        guard let steps, let model else { return nil }
        return (steps, model)
    }
}
