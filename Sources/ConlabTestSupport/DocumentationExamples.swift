import ConlabCore
import ConlabToolkit
public import Foundation

/// The shell commands a Markdown document shows, read so that a test can run them and hold the document to
/// what the program does.
///
/// A fenced block tagged `sh`, `shell` or `console`, or untagged or `text` with `$ ` lines, holds commands:
/// - a line `$ COMMAND` is a transcript: the lines after it, up to the next `$ ` line or the end of the
///   block, are what it prints (standard output and standard error together), and it must exit 0 — a
///   document that shows a failure ends the command with `; echo "exit $?"` and shows `exit N`;
/// - in a block with no `$ ` line, every line that starts with `conlab` or `swift run … conlab` is a command
///   shown without its output, which must exit 0.
///
/// HTML comments on their own lines just before a block say how to test it:
/// - `<!-- not run: REASON -->`: its commands are too slow or need what a test does not have;
/// - `<!-- output varies: REASON -->`: timings or paths differ from run to run, so only the exit status
///   (and a final `exit N` line) is compared;
/// - `<!-- tested with ARGUMENTS: REASON -->`: the test adds ARGUMENTS after each `conlab` command's own
///   arguments, e.g. `--set workload.io.latency=1ms` to turn 100 ms waits into 1 ms ones;
/// - `<!-- file: NAME -->` before any block: the block's text is the file NAME that the commands use.
public struct DocumentationExamples: Sendable {
    /// One command and what the document says of it.
    public struct Command: Sendable, CustomStringConvertible {
        /// The document, as given to ``init(markdown:file:)``.
        public var file: String
        /// The line the command is on, from 1.
        public var line: Int
        /// The command as written, without `$ `.
        public var text: String
        /// The lines shown after it, for a transcript; `nil` for a command shown alone.
        public var shownOutput: [String]?
        /// Why it is not run, when it is not.
        public var notRun: String?
        /// Why its output is not compared, when it is not.
        public var outputVaries: String?
        /// Arguments the test adds to each `conlab` command.
        public var testedWith: String?

        /// `README.md:31: conlab run scenarios/life-glider.yaml`.
        public var description: String { "\(file):\(line): \(text)" }

        /// The command as the test runs it: `swift run [-c release] conlab` becomes the `conlab` on the test's
        /// `PATH`, and ``testedWith`` goes after conlab's own arguments (before a `;`, a pipe, a redirection
        /// or a comment).
        public var shellCommand: String {
            var command = text
            if let range = command.range(
                of: #"^swift run( +(-c|--configuration) +[a-z]+| +(-q|--quiet))* +conlab\b"#,
                options: .regularExpression
            ) {
                command.replaceSubrange(range, with: "conlab")
            }
            guard let testedWith, command.hasPrefix("conlab ") else { return command }
            let end = Self.endOfFirstCommand(command)
            let head = command[..<end].trimmingCharacters(in: .whitespaces)
            return head + " " + testedWith + (end < command.endIndex ? " " + command[end...] : "")
        }

        /// Where the first simple command ends: at the first `;`, `|`, `&`, `<`, `>` or ` #` outside quotes.
        private static func endOfFirstCommand(_ command: String) -> String.Index {
            var quote: Character?
            var previous: Character = " "
            for index in command.indices {
                let character = command[index]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "'" || character == "\"" {
                    quote = character
                } else if ";|&<>".contains(character) || (character == "#" && previous == " ") {
                    return index
                }
                previous = character
            }
            return command.endIndex
        }
    }

    /// A file a `<!-- file: NAME -->` block defines.
    public struct File: Sendable {
        /// Its name, relative to the folder the commands run in.
        public var name: String
        /// Its text.
        public var text: String
    }

    /// A directive that does not fit where it is.
    public struct Problem: Error, CustomStringConvertible {
        /// Where and what.
        public var description: String
    }

    /// The commands, in document order.
    public var commands: [Command] = []
    /// The files the document defines.
    public var files: [File] = []

    /// Reads `markdown`, the text of the document `file`.
    public init(markdown: String, file: String) throws {
        let lines = markdown.components(separatedBy: "\n")
        var directives: [(line: Int, kind: String, value: String)] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->") {
                let body = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
                for kind in ["not run:", "output varies:", "tested with ", "file:"] where body.hasPrefix(kind) {
                    let value = body.dropFirst(kind.count).trimmingCharacters(in: .whitespaces)
                    directives.append((index + 1, String(kind.dropLast()), value))
                }
                index += 1
                continue
            }
            guard trimmed.hasPrefix("```") else {
                if !trimmed.isEmpty, let first = directives.first {
                    throw Problem(description: "\(file):\(first.line): a test directive that no code block follows")
                }
                index += 1
                continue
            }
            let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
            let opening = index
            index += 1
            var block: [String] = []
            while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                block.append(lines[index])
                index += 1
            }
            index += 1
            var command = Command(file: file, line: 0, text: "")
            for directive in directives {
                switch directive.kind {
                case "not run": command.notRun = directive.value
                case "output varies": command.outputVaries = directive.value
                case "tested with":
                    guard let colon = directive.value.range(of: ": ") else {
                        throw Problem(description: "\(file):\(directive.line): 'tested with ARGUMENTS: REASON'")
                    }
                    command.testedWith = String(directive.value[..<colon.lowerBound])
                default: files.append(File(name: directive.value, text: block.joined(separator: "\n") + "\n"))
                }
                if directive.value.isEmpty {
                    throw Problem(description: "\(file):\(directive.line): a test directive without its reason")
                }
            }
            directives = []
            guard ["sh", "shell", "console", "text", ""].contains(language) else { continue }
            let transcript = block.contains { $0.hasPrefix("$ ") }
            for (offset, text) in block.enumerated() {
                command.line = opening + 2 + offset
                if transcript {
                    if text.hasPrefix("$ ") {
                        command.text = String(text.dropFirst(2))
                        command.shownOutput = []
                        commands.append(command)
                    } else if !commands.isEmpty, commands[commands.count - 1].line > opening {
                        commands[commands.count - 1].shownOutput?.append(text)
                    }
                } else if language != "text" && language != "",
                    text.hasPrefix("conlab ")
                        || text.range(of: #"^swift run .*\bconlab "#, options: .regularExpression) != nil
                {
                    command.text = text
                    commands.append(command)
                }
            }
        }
    }

    /// What a command printed (standard output and standard error as one stream, in order) and its status.
    public struct Outcome: Sendable {
        /// The exit status; 128 + the signal for a command killed by one.
        public var status: Int32
        /// Everything it wrote.
        public var output: String
    }

    /// Runs `command` with `/bin/sh` in `folder`, the built `conlab` first on the `PATH`, for at most
    /// `limit` seconds.
    public static func run(_ command: String, in folder: URL, limit: Int = 60) async throws -> Outcome {
        try await OSThread.run(name: "doc-command") { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            // Standard error joins standard output inside the shell, so that the two keep their order.
            process.arguments = [String(limit), "/bin/sh", "-c", "exec 2>&1\n" + command]
            process.currentDirectoryURL = folder
            var environment = ProcessInfo.processInfo.environment
            let binaries = ConlabBinary.executable.deletingLastPathComponent().path
            environment["PATH"] = binaries + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let signalled = process.terminationReason == .uncaughtSignal
            return Outcome(
                status: signalled ? 128 + process.terminationStatus : process.terminationStatus,
                output: String(decoding: data, as: UTF8.self)
            )
        }
    }
}
