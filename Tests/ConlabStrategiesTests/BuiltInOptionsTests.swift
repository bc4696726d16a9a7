import ConlabCore
import ConlabScenario
import ConlabStrategies
import Foundation
import StrategyLoop
import StrategyProcess
import Testing

/// The built-in strategies' option declarations against what users see: labels, and the docs table.
@Suite("Built-in strategy options")
struct BuiltInOptionsTests {
    private static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func strategy(_ name: String, _ options: [String: OptionValue] = [:]) throws -> any Strategy {
        let type = try #require(BuiltInStrategies.registry.strategy(named: name))
        return try type.init(options: StrategyOptions(options.mapValues { .init(value: $0, location: .unknown) }))
    }

    /// Labels are how logs, summaries and `conlab compare` tell configurations apart: these are the labels the
    /// strategies gave before their options were declared, and must stay byte for byte.
    @Test(
        "Labels are those the strategies always gave",
        arguments: [
            ("serial", [:], "serial"),
            ("thread", [:], "thread"),
            ("thread", ["max_threads": .integer(100), "stack_size": .string("1MiB")], "thread"),
            ("queue", [:], "queue(workers: 5)"),
            ("queue", ["workers": .integer(3)], "queue(workers: 3)"),
            ("pool", [:], "pool(max_workers: 10)"),
            ("pool", ["max_workers": .integer(10)], "pool(max_workers: 10)"),
            ("pool", ["max_workers": .integer(45), "stack_size": .string("256KiB")], "pool(max_workers: 45)"),
            ("async", [:], "async"),
            ("async", ["blocking_waits": .bool(false)], "async"),
            ("async", ["blocking_waits": .bool(true)], "async(blocking_waits: true)"),
            ("loop", [:], "loop"),
            ("loop", ["loops": .integer(3)], "loop(loops: 3)"),
            ("process", [:], "process"),
            ("process", ["chunk_size": .integer(4)], "process(chunk_size: 4)"),
            ("process", ["chunk_size": .integer(1), "workers": .integer(2)], "process(workers: 2, chunk_size: 1)"),
        ] as [(String, [String: OptionValue], String)]
    )
    func labels(name: String, options: [String: OptionValue], label: String) throws {
        #expect(try strategy(name, options).label == label)
    }

    @Test("Unset options are nil, not values outside their range")
    func unset() throws {
        let process = try #require(try strategy("process") as? ProcessStrategy)
        #expect(process.workers == nil && process.chunkSize == nil)
        let loop = try #require(try strategy("loop") as? LoopStrategy)
        #expect(loop.loops == nil)
        #expect(throws: OptionError.self) { _ = try strategy("loop", ["loops": .integer(0)]) }
        #expect(throws: OptionError.self) { _ = try strategy("process", ["workers": .integer(0)]) }
    }

    @Test("conlab strategies shows each option's help, the form and range of its value, and its default")
    func listing() throws {
        let pool = try #require(BuiltInStrategies.registry.strategy(named: "pool"))
        #expect(
            pool.optionHelp == [
                OptionHelp(
                    "max_workers",
                    "threads in the pool, exactly, as in the seed (an integer in 1...4096; default 10)"
                ),
                OptionHelp(
                    "stack_size",
                    "stack size of each thread (a size such as 256KiB, at least 64KiB; default: the system's)"
                ),
            ]
        )
        let loop = try #require(BuiltInStrategies.registry.strategy(named: "loop"))
        #expect(
            loop.optionHelp.map(\.summary) == [
                "event loop threads, each running a share of every phase (an integer in 1...256; default: one per core)"
            ]
        )
    }

    @Test("Every option has a key of its own, in snake_case, and help")
    func declarations() {
        for type in BuiltInStrategies.all {
            let keys = type.options.map(\.key)
            #expect(Set(keys).count == keys.count, "\(type.name) declares a key twice: \(keys)")
            for option in type.options {
                #expect(option.key.allSatisfy { $0.isLowercase || $0 == "_" }, "\(type.name).\(option.key)")
                #expect(!option.summary.hasPrefix(" ("), "\(type.name).\(option.key) has no help")
            }
        }
    }

    /// The strategies table of the scenario format: its Name, Aliases and Options columns are held to the
    /// registry and the option declarations, so that a new option, or a changed default, fails here until
    /// the document says so.
    @Test("The docs' strategies table lists each strategy's aliases and options as declared")
    func documentedOptions() throws {
        let document = "docs/scenario-format.md"
        let text = try String(contentsOf: Self.packageRoot.appendingPathComponent(document), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(
            lines.firstIndex { $0.hasPrefix("| Name | Aliases | Options |") },
            "\(document) has no strategies table"
        )
        var rows: [String: [String]] = [:]
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            rows[cells[0].trimmingCharacters(in: ["`"])] = Array(cells.prefix(3))
        }
        let registry = BuiltInStrategies.registry
        #expect(Set(rows.keys) == Set(registry.names), "\(document) lists \(rows.keys.sorted())")
        for type in registry.strategies {
            let aliases = type.aliases.isEmpty ? "none" : type.aliases.map { "`\($0)`" }.joined(separator: ", ")
            let options = type.options.isEmpty ? "none" : type.options.map(\.markdown).joined(separator: ", ")
            let expected = ["`\(type.name)`", aliases, options]
            #expect(
                rows[type.name] == expected,
                "\(document): the row of \(type.name) should begin | \(expected.joined(separator: " | ")) |"
            )
        }
    }
}
