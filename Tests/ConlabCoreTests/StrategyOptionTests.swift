import ConlabCore
import Testing

/// A strategy with one option of every built-in form, as an author would declare them.
private struct GaugeStrategy: Strategy {
    static let name = "gauge"
    static let summary = "Declares one option of every form."

    static let width = StrategyOption<Int>(
        "width",
        .integer(in: 1...64),
        default: 8,
        inLabel: .always,
        help: "how wide"
    )
    static let depth = StrategyOption<Int?>(
        "depth",
        .integer(in: 1...Int.max),
        unset: "as deep as the work",
        inLabel: .unlessDefault,
        help: "how deep"
    )
    static let verbose = StrategyOption<Bool>("verbose", .bool, default: false, inLabel: .unlessDefault, help: "talk")
    static let stack = StrategyOption<Int>("stack", .bytes(minimum: 64 * 1024), default: 512 * 1024, help: "stack")
    static let pause = StrategyOption<Duration?>("pause", .duration, unset: "no pause", help: "between units")
    static let mode = StrategyOption<String>(
        "mode",
        .choice(["fast", "slow"]),
        default: "fast",
        inLabel: .unlessDefault,
        help: "which way"
    )
    static let options: [any OptionDeclaration] = [width, depth, verbose, stack, pause, mode]

    let values: OptionValues
    let label: String

    init(options: StrategyOptions) throws(OptionError) {
        values = try options.values(for: Self.self)
        label = values.label(Self.name)
    }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        throw StrategyRefusal("gauge only declares options")
    }

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 0, schedule: .units(concurrency: nil))
    }
}

/// A strategy without options.
private struct PlainStrategy: Strategy {
    static let name = "plain"
    static let summary = "Takes no options."

    init(options: StrategyOptions) throws(OptionError) { _ = try options.values(for: Self.self) }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        throw StrategyRefusal("plain only checks its options")
    }

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 0, schedule: .units(concurrency: nil))
    }
}

@Suite("Strategy options declared once")
struct StrategyOptionTests {
    /// Options as a scenario writes them, each on a line of its own of `s.yaml`, from line 3.
    private func written(_ values: KeyValuePairs<String, OptionValue>) -> StrategyOptions {
        var entries: [String: StrategyOptions.Entry] = [:]
        for (line, (key, value)) in values.enumerated() {
            entries[key] = .init(value: value, location: SourceLocation(file: "s.yaml", line: line + 3, column: 7))
        }
        return StrategyOptions(entries, location: SourceLocation(file: "s.yaml", line: 2, column: 5))
    }

    private func gauge(_ values: KeyValuePairs<String, OptionValue>) throws(OptionError) -> GaugeStrategy {
        try GaugeStrategy(options: written(values))
    }

    @Test("Absent options take their defaults; an unset one is nil, not a value outside its range")
    func defaults() throws {
        let strategy = try gauge([:])
        #expect(strategy.values[GaugeStrategy.width] == 8)
        #expect(strategy.values[GaugeStrategy.depth] == nil)
        #expect(strategy.values[GaugeStrategy.verbose] == false)
        #expect(strategy.values[GaugeStrategy.stack] == 512 * 1024)
        #expect(strategy.values[GaugeStrategy.pause] == nil)
        #expect(strategy.values[GaugeStrategy.mode] == "fast")
    }

    @Test("Written options are read through their forms")
    func written() throws {
        let strategy = try gauge([
            "width": .integer(64), "depth": .integer(1), "verbose": .bool(true), "stack": .string("1MiB"),
            "pause": .string("1.5ms"), "mode": .string("slow"),
        ])
        #expect(strategy.values[GaugeStrategy.width] == 64)
        #expect(strategy.values[GaugeStrategy.depth] == 1)
        #expect(strategy.values[GaugeStrategy.verbose])
        #expect(strategy.values[GaugeStrategy.stack] == 1 << 20)
        #expect(strategy.values[GaugeStrategy.pause] == .microseconds(1500))
        #expect(strategy.values[GaugeStrategy.mode] == "slow")
        #expect(try gauge(["stack": .integer(65536)]).values[GaugeStrategy.stack] == 65536)
        #expect(try gauge(["stack": .string("64KiB")]).values[GaugeStrategy.stack] == 65536)
    }

    @Test(
        "A value outside its form names the key, where it was written and what would be right",
        arguments: [
            ("width", OptionValue.integer(0), "an integer in 1...64"),
            ("width", .integer(65), "an integer in 1...64"),
            ("width", .string("wide"), "an integer in 1...64"),
            ("depth", .integer(0), "an integer in 1..."),
            ("verbose", .integer(1), "true or false"),
            (
                "stack", .string("63KiB"),
                "a size of at least 65536 bytes, as bytes or with KiB, MiB or GiB (e.g. 256KiB)"
            ),
            (
                "stack", .string("lots"),
                "a size of at least 65536 bytes, as bytes or with KiB, MiB or GiB (e.g. 256KiB)"
            ),
            ("pause", .string("soon"), "a duration such as 100ms, 2s or 250us"),
            ("mode", .string("medium"), "one of fast, slow"),
        ]
    )
    func rangeErrors(key: String, value: OptionValue, expected: String) {
        #expect(
            throws: OptionError(
                key: key,
                location: SourceLocation(file: "s.yaml", line: 3, column: 7),
                expected: expected
            )
        ) {
            _ = try gauge([key: value])
        }
    }

    @Test("An error reads as file:line:column, the key and the expected form")
    func errorText() {
        do {
            _ = try gauge(["width": .integer(100)])
            Issue.record("width 100 was accepted")
        } catch {
            #expect(error.description == "s.yaml:3:7: 'width': expected an integer in 1...64")
            #expect(!error.isUnknownKey)
        }
    }

    @Test("The first wrong option in declaration order is reported, before any unknown key")
    func order() {
        #expect(
            throws: OptionError(
                key: "depth",
                location: SourceLocation(file: "s.yaml", line: 4, column: 7),
                expected: "an integer in 1..."
            )
        ) {
            _ = try gauge(["aaa": .integer(1), "depth": .integer(0), "mode": .string("x")])
        }
    }

    @Test("A key no option declares is rejected, the first in alphabetical order")
    func unknownKeys() {
        let unknown = OptionError(
            key: "colour",
            location: SourceLocation(file: "s.yaml", line: 4, column: 7),
            expected: "no option 'colour' for strategy 'gauge'",
            isUnknownKey: true
        )
        #expect(throws: unknown) {
            _ = try gauge(["width": .integer(2), "colour": .string("red"), "zoom": .integer(1)])
        }
        #expect(throws: OptionError.self) { _ = try PlainStrategy(options: written(["workers": .integer(4)])) }
        #expect(throws: Never.self) { _ = try PlainStrategy(options: StrategyOptions()) }
    }

    @Test("The label lists the options that show, in declaration order, by their rule")
    func label() throws {
        #expect(try gauge([:]).label == "gauge(width: 8)")
        #expect(try gauge(["width": .integer(8)]).label == "gauge(width: 8)")
        // Set to its default, an option shown unless default stays out; an unset one shows once set.
        #expect(try gauge(["verbose": .bool(false), "mode": .string("fast")]).label == "gauge(width: 8)")
        #expect(
            try gauge(["mode": .string("slow"), "verbose": .bool(true), "depth": .integer(3), "stack": .string("1MiB")])
                .label == "gauge(width: 8, depth: 3, verbose: true, mode: slow)"
        )
        #expect(try PlainStrategy(options: StrategyOptions()).label == "plain")
    }

    @Test("Listings and the docs read the declarations: form, default or what unset means")
    func listings() {
        #expect(
            GaugeStrategy.optionHelp.map(\.summary) == [
                "how wide (an integer in 1...64; default 8)",
                "how deep (an integer in 1...; default: as deep as the work)",
                "talk (true or false; default false)",
                "stack (a size such as 256KiB, at least 64KiB; default 512KiB)",
                "between units (a duration such as 100ms, 2s or 250us; default: no pause)",
                "which way (one of fast, slow; default fast)",
            ]
        )
        #expect(GaugeStrategy.optionHelp.map(\.key) == ["width", "depth", "verbose", "stack", "pause", "mode"])
        #expect(
            GaugeStrategy.options.map(\.markdown) == [
                "`width` (default `8`)", "`depth` (default: as deep as the work)", "`verbose` (default `false`)",
                "`stack` (default `512KiB`)", "`pause` (default: no pause)", "`mode` (default `fast`)",
            ]
        )
        #expect(PlainStrategy.optionHelp.isEmpty)
    }

    @Test("A form of the strategy's own reads, rejects and writes its values")
    func customForm() throws {
        #expect(try RatioStrategy(options: written(["ratio": .number(0.25)])).label == "ratio(ratio: 0.25)")
        #expect(try RatioStrategy(options: written([:])).ratio == 0.5)
        #expect(throws: OptionError.self) { _ = try RatioStrategy(options: written(["ratio": .integer(2)])) }
        #expect(RatioStrategy.optionHelp.map(\.summary) == ["a share (a number between 0 and 1; default 0.5)"])
    }
}

/// A strategy whose option has a form of its own.
private struct RatioStrategy: Strategy {
    static let name = "ratio"
    static let summary = "Declares an option of a form of its own."

    static let ratioOption = StrategyOption<Double>(
        "ratio",
        OptionForm(
            expected: "a number between 0 and 1",
            read: { value in
                guard case .number(let number) = value, (0...1).contains(number) else { return nil }
                return number
            },
            write: { String($0) }
        ),
        default: 0.5,
        inLabel: .always,
        help: "a share"
    )
    static let options: [any OptionDeclaration] = [ratioOption]

    let ratio: Double
    let label: String

    init(options: StrategyOptions) throws(OptionError) {
        let values = try options.values(for: Self.self)
        ratio = values[Self.ratioOption]
        label = values.label(Self.name)
    }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        throw StrategyRefusal("ratio only declares an option")
    }

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 0, schedule: .units(concurrency: nil))
    }
}
