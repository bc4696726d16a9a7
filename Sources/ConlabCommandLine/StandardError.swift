/// Messages for people that must not mix with data on standard output.
enum StandardError {
    /// Writes `text` and a newline; a failure is kept by ``HumanOutput``, never a trap.
    static func print(_ text: String) {
        HumanOutput.write(text + "\n", to: .standardError)
    }
}
