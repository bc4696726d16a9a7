/// `--sweep key.path=1,2,4,8`: one scenario field run at several values; several sweeps make a grid.
public struct ScenarioSweep: Sendable, Hashable {
    /// The swept field, e.g. `["workload", "workers"]`.
    public var path: [String]
    /// Its values, in the order given (YAML scalars).
    public var values: [String]

    /// Parses `key.path=v1,v2,...`; `nil` without `=`, with an empty path, or with fewer than two values.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let path = text[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let values = text[text.index(after: equals)...].split(separator: ",").map { String($0.filter { $0 != " " }) }
        guard !path.isEmpty, !path.contains(where: \.isEmpty), values.count >= 2, !values.contains(where: \.isEmpty)
        else { return nil }
        self.path = path
        self.values = values
    }

    /// The dotted key path.
    public var dottedPath: String { path.joined(separator: ".") }

    /// Every combination of the sweeps' values, the first sweep varying slowest: each a list of overrides.
    public static func grid(_ sweeps: [ScenarioSweep]) -> [[ScenarioOverride]] {
        sweeps.reduce([[]]) { combinations, sweep in
            combinations.flatMap { combination in
                sweep.values.map { value in combination + [ScenarioOverride(path: sweep.path, value: value)] }
            }
        }
    }
}

extension ScenarioOverride {
    /// `path` set to `value`.
    public init(path: [String], value: String) {
        self.path = path
        self.value = value
    }

    /// `workload.workers=4`.
    public var description: String { "\(dottedPath)=\(value)" }
}
