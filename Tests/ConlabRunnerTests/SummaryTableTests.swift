import ConlabCore
import Testing

@Suite("Human-readable figures")
struct SummaryTableTests {
    @Test(
        "Seconds are shown with a sensible unit and four significant digits",
        arguments: [
            (18.0234, "18.02 s"), (0.4049, "0.405 s"), (0.1005, "0.101 s"), (0.02234, "22.34 ms"),
            (0.005494, "5.494 ms"),
            (0.00005, "50.0 µs"), (123.45, "123.5 s"),
        ]
    )
    func human(seconds: Double, text: String) {
        #expect(DurationFormat.human(seconds) == text)
    }
}
