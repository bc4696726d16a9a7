import Foundation

/// What registers a strategy program with conlab, without rebuilding conlab: a small JSON file in a
/// strategies folder (`docs/strategy-protocol.md`).
///
/// ```json
/// {
///   "name": "python-serial",
///   "description": "CPython, one cell after another on one thread (time.sleep).",
///   "argv": ["python3", "../Plugins/python/serial.py"],
///   "workloads": ["life.generation"],
///   "concurrency": 1,
///   "install": "sudo apt-get install python3",
///   "options": [{"key": "chunk", "type": "integer", "default": 1, "range": [1, 1000], "help": "cells a call"}]
/// }
/// ```
///
/// The program starts in the manifest's folder, so paths in `argv` are relative to it; `argv[0]` without a
/// slash is looked up in `PATH`. Never a shell.
public struct StrategyManifest: Sendable, Hashable, Decodable {
    /// The name scenarios give as the `external` strategy's `program`, and the strategy's label.
    public var name: String
    /// One line saying what the strategy does, shown by `conlab strategies`.
    public var description: String
    /// The program and its arguments.
    public var argv: [String]
    /// The work kinds it runs (``ConlabCore/ExternalBatch/externalKind``), e.g. `life.generation`.
    public var workloads: [String]
    /// How many units it may have waiting at once; `nil` (absent) when unbounded. The ideal floor every time
    /// is checked against comes from it, so it must be the truth.
    public var concurrency: Int?
    /// The integer option whose value is the concurrency, when the manifest writes `"concurrency": {"option":
    /// "workers"}`: a program whose worker count a scenario sets states its floor with the same value.
    public var concurrencyOption: String?
    /// What installs the runtime the program needs, shown when the program cannot be found; optional.
    public var install: String?
    /// The options scenarios may give it, which it receives in conlab's greeting; none when absent.
    public var options: [ManifestOption] = []
    /// The file it was read from; empty for a manifest made in memory.
    public var file: String = ""
    /// The folder the program starts in: the manifest's, for one read from a file.
    public var directory: String = ""

    private enum CodingKeys: String, CodingKey {
        case name, description, argv, workloads, concurrency, install, options
    }

    /// Reads the manifest's keys; `concurrency`, `install` and `options` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decode(String.self, forKey: .description)
        argv = try container.decode([String].self, forKey: .argv)
        workloads = try container.decode([String].self, forKey: .workloads)
        if let reference = try? container.decodeIfPresent(OptionReference.self, forKey: .concurrency) {
            concurrencyOption = reference.option
        } else {
            concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency)
        }
        install = try container.decodeIfPresent(String.self, forKey: .install)
        options = try container.decodeIfPresent([ManifestOption].self, forKey: .options) ?? []
    }

    /// The concurrency the program runs at with these option values: the value of ``concurrencyOption``
    /// when the manifest names one, else ``concurrency`` (`nil`: unbounded).
    public func concurrency(with values: [String: ManifestOption.Value]) -> Int? {
        guard let key = concurrencyOption else { return concurrency }
        let value = values[key] ?? options.first { $0.key == key }?.defaultReceived
        if case .integer(let count) = value { return count }
        return concurrency
    }

    /// How the program's concurrency is stated, completing "... concurrency": `concurrency 4`, `unbounded
    /// concurrency`, `concurrency = option workers (default 10)`.
    public var concurrencyDescription: String {
        if let key = concurrencyOption {
            let option = options.first { $0.key == key }
            return "concurrency = option \(key)" + (option.map { " (default \($0.written($0.defaultReceived)))" } ?? "")
        }
        return concurrency.map { "concurrency \($0)" } ?? "unbounded concurrency"
    }

    /// `{"option": KEY}`, the form of a `concurrency` that follows an option.
    private struct OptionReference: Decodable {
        var option: String
    }

    /// A manifest made in memory, for a program no file registers (`conlab conform -- COMMAND...`).
    public init(
        name: String,
        description: String,
        argv: [String],
        workloads: [String],
        concurrency: Int?,
        install: String? = nil,
        options: [ManifestOption] = [],
        directory: String
    ) {
        self.name = name
        self.description = description
        self.argv = argv
        self.workloads = workloads
        self.concurrency = concurrency
        self.install = install
        self.options = options
        self.directory = directory
    }

    /// Manifests given by the command line itself, found before any folder's: a program `conlab conform` made
    /// a manifest for.
    @TaskLocal public static var given: [StrategyManifest] = []

    /// Whether `name` may name a strategy program: letters, digits, `-`, `_` and `.`, as it is written in
    /// scenarios and in protocol messages as it is.
    public static func isValidName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        return !name.isEmpty && name.allSatisfy(allowed.contains)
    }

    /// Reads the manifest at `path`; throws a message naming the file and what is wrong.
    public static func read(at path: String) throws(ManifestError) -> StrategyManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError(file: path, message: "cannot be read")
        }
        var manifest: StrategyManifest
        do {
            manifest = try JSONDecoder().decode(StrategyManifest.self, from: data)
        } catch {
            throw ManifestError(file: path, message: "is not a strategy manifest: \(error)")
        }
        guard isValidName(manifest.name) else {
            throw ManifestError(file: path, message: "'name' must be letters, digits, '-', '_' or '.'")
        }
        guard !manifest.argv.isEmpty, !manifest.argv[0].isEmpty else {
            throw ManifestError(file: path, message: "'argv' needs at least the program")
        }
        if let concurrency = manifest.concurrency, concurrency < 1 {
            throw ManifestError(file: path, message: "'concurrency' must be at least 1, or absent for unbounded")
        }
        if let key = manifest.concurrencyOption {
            // The floor is computed from the value: it must be a count of at least 1 whatever a scenario writes.
            guard let option = manifest.options.first(where: { $0.key == key }), option.type == .integer,
                let range = option.range, range.count == 2, range[0] >= 1
            else {
                throw ManifestError(
                    file: path,
                    message: "'concurrency' follows option '\(key)', which must be declared as an integer option "
                        + "with a range from at least 1"
                )
            }
        }
        var keys: Set<String> = []
        for option in manifest.options {
            if let problem = option.problem() { throw ManifestError(file: path, message: problem) }
            guard keys.insert(option.key).inserted else {
                throw ManifestError(file: path, message: "option '\(option.key)' is declared twice")
            }
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        manifest.file = (absolute as NSString).standardizingPath
        manifest.directory = (manifest.file as NSString).deletingLastPathComponent
        return manifest
    }

    /// Manifest files and folders given on the command line (`--strategy-path`), searched first.
    @TaskLocal public static var commandLinePaths: [String] = []

    /// The user's own strategies folder: `$XDG_CONFIG_HOME/conlab/strategies`, or
    /// `~/.config/conlab/strategies` when `XDG_CONFIG_HOME` is unset or empty.
    public static var userFolder: String {
        let environment = ProcessInfo.processInfo.environment
        if let configuration = environment["XDG_CONFIG_HOME"], !configuration.isEmpty {
            return configuration + "/conlab/strategies"
        }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/conlab/strategies"
    }

    /// The files and folders searched for manifests, in order: each ``commandLinePaths`` (a manifest file or a
    /// folder of them), each folder of `CONLAB_STRATEGY_PATH` (colon-separated), `strategies/` in the current
    /// folder (a project's own), then the ``userFolder``.
    public static var searchFolders: [String] {
        let listed = ProcessInfo.processInfo.environment["CONLAB_STRATEGY_PATH"]?.split(separator: ":").map(String.init)
        return commandLinePaths + (listed ?? []) + ["strategies", userFolder]
    }

    /// Every manifest ``given``, then in ``searchFolders`` (`*.json`), the first of each name winning, and the
    /// problems of those that could not be read; a path given on the command line that names nothing is one.
    public static func all() -> (manifests: [StrategyManifest], problems: [ManifestError]) {
        var manifests: [StrategyManifest] = given
        var problems: [ManifestError] = []
        let named = Set(commandLinePaths)
        for path in searchFolders {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                if named.contains(path) {
                    problems.append(ManifestError(file: path, message: "no such manifest or folder (--strategy-path)"))
                }
                continue
            }
            let files =
                isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
                    .filter { $0.hasSuffix(".json") }.map { path + "/" + $0 } : [path]
            for file in files {
                do {
                    let manifest = try read(at: file)
                    if !manifests.contains(where: { $0.name == manifest.name }) { manifests.append(manifest) }
                } catch {
                    problems.append(error)
                }
            }
        }
        return (manifests, problems)
    }
}
