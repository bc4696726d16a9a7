import ArgumentParser
import ConlabRunner

extension Conlab {
    /// `conlab worker`: the other end of the process strategy. Not for people: hidden from help.
    struct Worker: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run units sent by the process strategy over standard input (internal).",
            shouldDisplay: false
        )

        func run() throws {
            // Ctrl-C reaches the whole process group; the parent decides, and closes our input to stop us.
            Interrupts.ignore()
            let status = WorkerHost.serve()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
