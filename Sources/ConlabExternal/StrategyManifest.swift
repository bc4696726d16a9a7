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
///   "install": "sudo apt-get install python3"
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
    /// What installs the runtime the program needs, shown when the program cannot be found; optional.
    public var install: String?
    /// The file it was read from; empty for a manifest made in memory.
    public var file: String = ""
    /// The folder the program starts in: the manifest's, for one read from a file.
    public var directory: String = ""

    private enum CodingKeys: String, CodingKey {
        case name, description, argv, workloads, concurrency, install
    }

    /// A manifest made in memory, for a program no file registers (`conlab conform -- COMMAND...`).
    public init(
        name: String,
        description: String,
        argv: [String],
        workloads: [String],
        concurrency: Int?,
        install: String? = nil,
        directory: String
    ) {
        self.name = name
        self.description = description
        self.argv = argv
        self.workloads = workloads
        self.concurrency = concurrency
        self.install = install
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
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        manifest.file = (absolute as NSString).standardizingPath
        manifest.directory = (manifest.file as NSString).deletingLastPathComponent
        return manifest
    }

    /// The folders searched for manifests, in order: each of `CONLAB_STRATEGY_PATH` (colon-separated), then
    /// `strategies/` in the current folder (a project's own).
    public static var searchFolders: [String] {
        let listed = ProcessInfo.processInfo.environment["CONLAB_STRATEGY_PATH"]?.split(separator: ":").map(String.init)
        return (listed ?? []) + ["strategies"]
    }

    /// Every manifest ``given``, then in ``searchFolders`` (`*.json`), the first of each name winning, and the
    /// problems of those that could not be read.
    public static func all() -> (manifests: [StrategyManifest], problems: [ManifestError]) {
        var manifests: [StrategyManifest] = given
        var problems: [ManifestError] = []
        for folder in searchFolders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") {
                do {
                    let manifest = try read(at: folder + "/" + name)
                    if !manifests.contains(where: { $0.name == manifest.name }) { manifests.append(manifest) }
                } catch {
                    problems.append(error)
                }
            }
        }
        return (manifests, problems)
    }
}
