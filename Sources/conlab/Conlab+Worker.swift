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
            let status = WorkerHost.serve()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
