/// Text for people, or a summary for programs, on standard output.
enum StandardOutput {
    /// Writes `text` and a newline, unbuffered, so that it keeps its place among the lines on standard error;
    /// a failure is kept by ``HumanOutput``, never a trap or a silent loss.
    static func print(_ text: String) {
        HumanOutput.write(text + "\n", to: .standardOutput)
    }
}
