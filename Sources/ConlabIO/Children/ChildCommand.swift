/// One command of a subprocess job: what to run, with which environment and in which folder.
public struct ChildCommand: Sendable, Hashable, Codable {
    /// The program and its arguments (argv). With ``shell``, one element: the shell command line.
    public var arguments: [String]
    /// Run `arguments[0]` with `/bin/sh -c`. Only when the scenario says `shell: true`.
    public var shell: Bool
    /// Variables set for the child.
    public var environment: [String: String]
    /// Start from an empty environment instead of the parent's.
    public var replacesEnvironment: Bool
    /// The child's working folder; `nil` for the parent's.
    public var directory: String?

    /// Creates a command.
    public init(
        arguments: [String],
        shell: Bool = false,
        environment: [String: String] = [:],
        replacesEnvironment: Bool = false,
        directory: String? = nil
    ) {
        self.arguments = arguments
        self.shell = shell
        self.environment = environment
        self.replacesEnvironment = replacesEnvironment
        self.directory = directory
    }

    /// The argv actually executed.
    public var argv: [String] { shell ? ["/bin/sh", "-c", arguments.joined(separator: " ")] : arguments }

    /// `echo Hello`, `sh -c 'ls | wc -l'`.
    public var summary: String {
        shell ? "sh -c '\(arguments.joined(separator: " "))'" : arguments.joined(separator: " ")
    }
}
