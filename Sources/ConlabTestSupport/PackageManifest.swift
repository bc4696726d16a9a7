import Foundation

/// conlab's own `Package.swift` as SwiftPM reads it (`swift package dump-package`), for tests that hold the
/// documents and the products to the package.
public enum PackageManifest {
    /// The manifest as JSON.
    ///
    /// SwiftPM runs with a scratch path of its own: the build folder is locked by the `swift test` that
    /// runs the calling test.
    public static func dump() async throws -> [String: Any] {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        let outcome = try await DocumentationExamples.run(
            "swift package --scratch-path '\(scratch.url.path)' dump-package 2>/dev/null",
            in: ConlabBinary.packageRoot,
            limit: 120
        )
        guard outcome.status == 0,
            let manifest = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any]
        else {
            throw Failure(output: outcome.output)
        }
        return manifest
    }

    /// `swift package dump-package` failed or printed something other than a JSON object.
    public struct Failure: Error, CustomStringConvertible {
        /// What it printed.
        public var output: String
        /// The output, for the test's message.
        public var description: String { "swift package dump-package failed:\n\(output)" }
    }
}
