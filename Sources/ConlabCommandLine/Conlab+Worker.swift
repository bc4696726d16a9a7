import ArgumentParser
import ConlabRunner
import ConlabScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Conlab {
    /// `conlab worker`: the other end of the process strategy. Not for people: hidden from help.
    struct Worker: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "worker",
            abstract: "Run units sent by the process strategy over standard input (internal).",
            shouldDisplay: false
        )

        func run() throws {
            Self.serve(workloads: Conlab.workloads)
        }

        /// Serves the parent until its input ends, then exits with
        /// ``WorkerHost/serve(workloads:input:output:willEnd:)``'s status; `workloads` says which batches it can
        /// decode.
        ///
        /// `main` comes here straight for `conlab worker`, before ArgumentParser builds its command tree and
        /// before the interrupt thread starts: the process strategy starts its workers inside the time it
        /// measures, and naming the commands by reflection was a third of a worker's start.
        static func serve(workloads: WorkloadRegistry) -> Never {
            // Ctrl-C reaches the whole process group; the parent decides, and sends SIGTERM or closes our
            // input to stop us. (Children a worker spawns get both signals back at their defaults: see
            // `Spawning`.)
            signal(SIGINT, SIG_IGN)
            WorkerLifeline.hold()
            // A parent that has gone is an EPIPE, and a clean exit, not a death by signal.
            signal(SIGPIPE, SIG_IGN)
            Glibc.exit(WorkerHost.serve(workloads: workloads, willEnd: WorkerLifeline.announce(status:)))
        }
    }
}
