import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

/// Each case: a broken scenario, where the problem must be reported, and words the message must contain.
struct Malformed: Sendable, CustomTestStringConvertible {
    var title: String
    var yaml: String
    var line: Int
    var column: Int
    var path: String
    var words: String

    var testDescription: String { title }
}

private let valid = """
    name: glider
    workload:
      kind: life
      rows: 5
      columns: 9
      generations: 4
      pattern: { named: glider, at: [0, 2] }
      io:
        step: game_logic
        latency: 100ms
    strategies: [serial, async]
    """

/// `valid` with one line replaced (1-based), so locations are easy to see.
private func replacing(_ line: Int, with text: String) -> String {
    var lines = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[line - 1] = text
    return lines.joined(separator: "\n")
}

private let cases: [Malformed] = [
    Malformed(
        title: "invalid YAML",
        yaml: "name: [unclosed\nworkload: {}\n",
        line: 2,
        column: 9,
        path: "",
        words: "invalid YAML"
    ),
    Malformed(
        title: "tab indentation",
        yaml: "name: x\nworkload:\n\tkind: life\n",
        line: 3,
        column: 1,
        path: "",
        words: "invalid YAML"
    ),
    Malformed(
        title: "a list as the document",
        yaml: "- serial\n- async\n",
        line: 1,
        column: 1,
        path: "",
        words: "expected a mapping"
    ),
    Malformed(
        title: "unknown top-level key",
        yaml: valid + "\nstrategy: serial",
        line: 12,
        column: 1,
        path: "strategy",
        words: "unknown key 'strategy'"
    ),
    Malformed(
        title: "unknown workload key",
        yaml: replacing(4, with: "  row: 5"),
        line: 4,
        column: 3,
        path: "workload.row",
        words: "unknown key 'row'"
    ),
    Malformed(
        title: "misspelled io key",
        yaml: replacing(10, with: "    latncy: 100ms"),
        line: 10,
        column: 5,
        path: "workload.io.latncy",
        words: "unknown key 'latncy'"
    ),
    Malformed(
        title: "rows of the wrong type",
        yaml: replacing(4, with: "  rows: five"),
        line: 4,
        column: 9,
        path: "workload.rows",
        words: "expected a whole number from 1 to 100000, found 'five'"
    ),
    Malformed(
        title: "an empty grid",
        yaml: replacing(5, with: "  columns: 0"),
        line: 5,
        column: 12,
        path: "workload.columns",
        words: "expected a whole number from 1"
    ),
    Malformed(
        title: "an impossible grid",
        yaml: replacing(4, with: "  rows: 100000").replacingOccurrences("columns: 9", "columns: 100000"),
        line: 4,
        column: 9,
        path: "workload.rows",
        words: "cells; expected at most"
    ),
    Malformed(
        title: "a duration without a unit",
        yaml: replacing(10, with: "    latency: 100"),
        line: 10,
        column: 14,
        path: "workload.io.latency",
        words: "expected a duration"
    ),
    Malformed(
        title: "a negative duration",
        yaml: replacing(10, with: "    latency: -5ms"),
        line: 10,
        column: 14,
        path: "workload.io.latency",
        words: "expected a duration"
    ),
    Malformed(
        title: "an unknown latency model",
        yaml: replacing(10, with: "    latency: { gaussian: { mean: 1ms } }"),
        line: 10,
        column: 16,
        path: "workload.io.latency.gaussian",
        words: "unknown latency model 'gaussian'"
    ),
    Malformed(
        title: "uniform with min above max",
        yaml: replacing(10, with: "    latency: { uniform: { min: 5ms, max: 1ms } }"),
        line: 10,
        column: 42,
        path: "workload.io.latency.uniform.max",
        words: "expected max >= min"
    ),
    Malformed(
        title: "a failure rate above 1",
        yaml: valid.replacingOccurrences("latency: 100ms", "latency: 100ms\n    failure_rate: 1.5"),
        line: 11,
        column: 19,
        path: "workload.io.failure_rate",
        words: "a probability from 0 to 1"
    ),
    Malformed(
        title: "an unknown I/O step",
        yaml: replacing(9, with: "    step: recv"),
        line: 9,
        column: 11,
        path: "workload.io.step",
        words: "game_logic, count_neighbors or both"
    ),
    Malformed(
        title: "an unknown strategy",
        yaml: replacing(11, with: "strategies: [serial, fibers]"),
        line: 11,
        column: 22,
        path: "strategies.1",
        words: "unknown strategy 'fibers'; expected one of serial, thread, queue, pool, async"
    ),
    Malformed(
        title: "an empty strategy list",
        yaml: replacing(11, with: "strategies: []"),
        line: 11,
        column: 13,
        path: "strategies",
        words: "at least one strategy"
    ),
    Malformed(
        title: "an option a strategy does not have",
        yaml: replacing(11, with: "strategies: [{ serial: { workers: 4 } }]"),
        line: 11,
        column: 35,
        path: "strategies.0.serial.workers",
        words: "unknown option 'workers' for strategy 'serial'"
    ),
    Malformed(
        title: "a pattern that does not fit",
        yaml: replacing(7, with: "  pattern: { named: glider, at: [3, 0] }"),
        line: 7,
        column: 12,
        path: "workload.pattern",
        words: "does not fit the 5×9 grid"
    ),
    Malformed(
        title: "an unknown pattern name",
        yaml: replacing(7, with: "  pattern: spaceship"),
        line: 7,
        column: 12,
        path: "workload.pattern",
        words: "a pattern name (glider, blinker, block, r-pentomino)"
    ),
    Malformed(
        title: "a cell outside the grid",
        yaml: replacing(7, with: "  pattern: { cells: [[0, 1], [9, 9]] }"),
        line: 7,
        column: 12,
        path: "workload.pattern",
        words: "cell [9, 9] is outside the 5×9 grid"
    ),
    Malformed(
        title: "a picture with other characters",
        yaml: replacing(7, with: "  pattern: { picture: \"-*-\\n.*.\" }"),
        line: 7,
        column: 23,
        path: "workload.pattern.picture",
        words: "found '.'"
    ),
    Malformed(
        title: "a duplicated key",
        yaml: replacing(6, with: "  generations: 4\n  generations: 5").replacingOccurrences(
            "strategies: [serial, async]",
            "strategies: [serial]"
        ),
        line: 7,
        column: 3,
        path: "",
        words: "duplicate key 'generations'"
    ),
    Malformed(
        title: "a missing workload",
        yaml: "name: x\nstrategies: [serial]\n",
        line: 1,
        column: 1,
        path: "workload",
        words: "missing required key 'workload'"
    ),
    Malformed(
        title: "an unknown workload kind",
        yaml: replacing(3, with: "  kind: mandelbrot"),
        line: 3,
        column: 9,
        path: "workload.kind",
        words: "one of: life"
    ),
    Malformed(
        title: "a malformed expected digest",
        yaml: valid + "\nexpect: { final_grid_sha256: abc }",
        line: 12,
        column: 30,
        path: "expect.final_grid_sha256",
        words: "64 lowercase hexadecimal digits"
    ),
]

@Suite("Rejecting malformed scenarios")
struct MalformedScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    @Test("The valid base scenario loads")
    func base() throws {
        let scenario = try loader.load(yaml: valid, file: "base.yaml")
        #expect(scenario.name == "glider")
        #expect(scenario.strategies.map(\.name) == ["serial", "async"])
    }

    @Test("Each problem is reported with file:line:column, key path and the expected form", arguments: cases)
    func rejected(_ malformed: Malformed) throws {
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: malformed.yaml, file: "broken.yaml")
        }
        let issue = try #require(
            error.issues.first { $0.path == malformed.path && $0.message.contains(malformed.words) },
            "got: \(error.description)"
        )
        #expect(issue.location.file == "broken.yaml")
        #expect(issue.location.line == malformed.line, "\(issue)")
        #expect(issue.location.column == malformed.column, "\(issue)")
        #expect(error.description.contains("broken.yaml:\(malformed.line):\(malformed.column):"))
    }

    @Test("Several problems in one file are all reported")
    func several() throws {
        let yaml = replacing(4, with: "  rows: -1").replacingOccurrences("latency: 100ms", "latency: soon")
        let error = try #require(throws: ScenarioError.self) { try loader.load(yaml: yaml, file: "two.yaml") }
        #expect(error.issues.map(\.path) == ["workload.rows", "workload.io.latency"])
    }

    @Test("A bad --set is reported against the command line")
    func badOverride() throws {
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: valid, file: "x.yaml", overrides: [ScenarioOverride("workload.rows=lots")!])
        }
        #expect(
            error.description
                == "--set workload.rows: workload.rows: expected a whole number from 1 to 100000, found 'lots'"
        )
        let deep = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: valid, file: "x.yaml", overrides: [ScenarioOverride("name.first=x")!])
        }
        #expect(deep.description.contains("cannot set 'first' inside a plain value"))
    }

    @Test("A missing file is an error, not a crash")
    func missingFile() throws {
        let error = try #require(throws: ScenarioError.self) { try loader.load(file: "/nonexistent/x.yaml") }
        #expect(error.description == "/nonexistent/x.yaml: the file does not exist")
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
