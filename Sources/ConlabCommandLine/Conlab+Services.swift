import ArgumentParser
import ConlabIO

extension Conlab {
    /// The timers and reactors of this invocation, made once and handed to everything that runs or
    /// estimates strategies. A process already out of descriptors gets a one-line error, not a trap.
    static func makeServices() throws -> StandardServices {
        do {
            return try StandardServices()
        } catch {
            StandardError.print("conlab: \(error)")
            throw ExitCode(ExitStatus.failed)
        }
    }
}
