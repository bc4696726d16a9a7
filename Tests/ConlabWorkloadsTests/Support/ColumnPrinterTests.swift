import ConlabTestSupport
import ConlabWorkloads
import Testing

@Suite("ColumnPrinter")
struct ColumnPrinterTests {
    @Test("Prints the glider's generations exactly as item 56 shows them")
    func seedOutput() {
        var printer = ColumnPrinter()
        for frame in SeedOutput.gliderFrames { printer.append(frame) }
        #expect(printer.rendered == SeedOutput.gliderColumns)
    }

    @Test("One frame, and numbers wider than one digit")
    func edges() {
        var printer = ColumnPrinter()
        printer.append("*-\n")
        #expect(printer.rendered == " 0 \n*-")
        for _ in 1...10 { printer.append("--\n") }
        #expect(printer.rendered.split(separator: "\n")[0].hasSuffix(" 10 "))
    }
}
