import Foundation

/// Expands folders among the arguments into the scenario files they contain.
enum ScenarioFiles {
    /// Files as given; a folder becomes its `*.yaml` and `*.yml` files, sorted.
    static func expand(_ arguments: [String]) -> [String] {
        arguments.flatMap { argument -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue else {
                return [argument]
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (argument as NSString).appendingPathComponent($0) }
        }
    }
}
