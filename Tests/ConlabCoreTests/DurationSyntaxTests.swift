import ConlabCore
import Testing

@Suite("Duration syntax")
struct DurationSyntaxTests {
    @Test(
        "Durations as scenario files write them",
        arguments: [
            ("100ms", Duration.milliseconds(100)), ("2s", .seconds(2)), ("250us", .microseconds(250)),
            ("250µs", .microseconds(250)), ("1.5ms", .microseconds(1500)), ("0s", .zero), ("37ns", .nanoseconds(37)),
            ("1m", .seconds(60)), ("0.001s", .milliseconds(1)), (" 10ms ", .milliseconds(10)),
        ]
    )
    func parses(text: String, expected: Duration) {
        #expect(DurationSyntax.parse(text) == expected)
    }

    @Test(
        "Malformed durations are rejected",
        arguments: ["", "100", "ms", "-5ms", "1.ms", ".5s", "1..5s", "5 parsecs", "1.0000000001ns", "1e3ms"]
    )
    func rejects(text: String) {
        #expect(DurationSyntax.parse(text) == nil)
    }

    @Test(
        "Formatting round-trips",
        arguments: [Duration.milliseconds(100), .seconds(2), .microseconds(1500), .nanoseconds(37), .zero]
    )
    func roundTrip(duration: Duration) {
        #expect(DurationSyntax.parse(DurationFormat.short(duration)) == duration)
    }
}
