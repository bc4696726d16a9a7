/// A command that finds strategy programs by their manifests, and may be given more with `--strategy-path`:
/// ``Conlab/main(strategies:workloads:)`` searches the paths it gives first, for as long as the command runs.
protocol ManifestReading {
    /// Manifest files and folders of them, from `--strategy-path`.
    var strategyPaths: [String] { get }
}

extension Conlab.Run: ManifestReading {
    var strategyPaths: [String] { scenarios.strategyPaths }
}

extension Conlab.Validate: ManifestReading {
    var strategyPaths: [String] { scenarios.strategyPaths }
}

extension Conlab.Explain: ManifestReading {
    var strategyPaths: [String] { scenarios.strategyPaths }
}
