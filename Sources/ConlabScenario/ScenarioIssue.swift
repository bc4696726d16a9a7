public import ConlabCore

/// One problem in a scenario: where it is, which key, what is wrong and what would be right.
public struct ScenarioIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the file (or on the command line) the problem is.
    public var location: SourceLocation
    /// The key path of the offending value, e.g. `workload.io.latency`; empty for the whole document.
    public var path: String
    /// What is wrong and what was expected, in one sentence.
    public var message: String

    /// Creates an issue.
    public init(location: SourceLocation, path: String, message: String) {
        self.location = location
        self.path = path
        self.message = message
    }

    /// `scenarios/x.yaml:4:9: workload.rows: expected a whole number from 1 to 100000, found 'five'`.
    public var description: String {
        path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// Every problem found in one scenario file; nothing of it runs.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they appear in the file.
    public var issues: [ScenarioIssue]

    /// Creates an error.
    public init(issues: [ScenarioIssue]) {
        self.issues = issues
    }

    /// One problem per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
