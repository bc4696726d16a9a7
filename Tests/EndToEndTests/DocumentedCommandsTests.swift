import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Every command the documentation shows is run on the built binary, so the documents cannot drift from
    /// the program: each must exit 0 (or show `exit N` as it does), and a transcript must print what it
    /// shows. How a block is tested is said beside it (``DocumentationExamples``).
    @Suite("Documented commands")
    struct DocumentedCommandsTests {
        /// The documents with commands in them.
        static let documents: [String] = {
            let root = ConlabBinary.packageRoot
            let docs =
                (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path))
                ?? []
            return ["README.md", "scenarios/README.md"]
                + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        }()

        @Test("Every command in the documentation does what the documentation says", arguments: documents)
        func document(_ name: String) async throws {
            let markdown = try String(
                contentsOf: ConlabBinary.packageRoot.appendingPathComponent(name),
                encoding: .utf8
            )
            let examples = try DocumentationExamples(markdown: markdown, file: name)
            // The commands run in a folder of their own that has the catalog and the document's files.
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            try FileManager.default.createSymbolicLink(
                at: folder.url.appendingPathComponent("scenarios"),
                withDestinationURL: ConlabBinary.packageRoot.appendingPathComponent("scenarios")
            )
            for file in examples.files { try folder.write(file.text, to: file.name) }
            for command in examples.commands where command.notRun == nil {
                let outcome = try await DocumentationExamples.run(command.shellCommand, in: folder.url)
                #expect(outcome.status == 0, "\(command) exited \(outcome.status):\n\(outcome.output)")
                guard let shown = command.shownOutput else { continue }
                let printed = Self.lines(outcome.output)
                if command.outputVaries == nil {
                    #expect(
                        printed == Self.lines(shown.joined(separator: "\n")),
                        "\(command) printed:\n\(outcome.output)"
                    )
                } else if let last = shown.last(where: { !$0.isEmpty }), last.hasPrefix("exit ") {
                    #expect(printed.last == last, "\(command) printed:\n\(outcome.output)")
                }
            }
        }

        @Test("The documents hold commands, and every one that is not run says why")
        func coverage() throws {
            var run = 0
            for name in Self.documents {
                let markdown = try String(
                    contentsOf: ConlabBinary.packageRoot.appendingPathComponent(name),
                    encoding: .utf8
                )
                for command in try DocumentationExamples(markdown: markdown, file: name).commands {
                    if let reason = command.notRun {
                        #expect(!reason.isEmpty, "\(command)")
                    } else {
                        run += 1
                    }
                }
            }
            // README's two runs, scenario-format's digest, its four override examples and three transcripts.
            #expect(run >= 10)
        }

        @Test("The exit statuses --help lists are those conlab exits with")
        func helpExitStatuses() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let glider = ConlabBinary.packageRoot.appendingPathComponent("scenarios/life-glider.yaml").path
            try folder.write("name: broken\n", to: "broken.yaml")
            let observed = [
                try await ConlabBinary.run(["validate", glider]).status,
                try await ConlabBinary.run(["validate", "broken.yaml"], in: folder.url).status,
                try await ConlabBinary.run(["run", glider, "--no-such-option"]).status,
                try await ConlabBinary.run([
                    "run", glider, "--set", "workload.io.latency=1ms", "--log", "/dev/full", "-q",
                ])
                .status,
            ]
            #expect(Set(observed) == [0, 1, 2, 64])
            let help = try await ConlabBinary.run(["--help"]).standardOutput
            let paragraph = try #require(help.components(separatedBy: "\n\n").first { $0.hasPrefix("Exit status:") })
            let listed = paragraph.split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) }
            for status in observed { #expect(listed.contains(status), "\(status) is missing from: \(paragraph)") }
        }

        /// Lines without trailing spaces, without the empty lines at the end.
        private static func lines(_ text: String) -> [String] {
            var lines = text.components(separatedBy: "\n").map {
                String($0.reversed().drop(while: { $0 == " " }).reversed())
            }
            while lines.last?.isEmpty == true { lines.removeLast() }
            return lines
        }
    }
}
