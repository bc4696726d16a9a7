import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Other packages can depend on conlab's libraries: SwiftPM refuses a dependency whose library products
    /// reach a target with unsafe flags, so none of them may (only executables carry the static-runtime flag).
    @Suite("The package's products")
    struct PackageProductsTests {
        @Test("No target a library product needs carries unsafe flags, and the products are the documented ones")
        func librariesAreDependable() async throws {
            let manifest = try await PackageManifest.dump()
            let targets = try #require(manifest["targets"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: targets.map { ($0["name"] as? String ?? "", $0) })
            var libraries: [String: [String]] = [:]
            for product in try #require(manifest["products"] as? [[String: Any]]) {
                let type = try #require(product["type"] as? [String: Any])
                guard type["library"] != nil else { continue }
                libraries[try #require(product["name"] as? String)] = try #require(product["targets"] as? [String])
            }
            #expect(
                libraries.keys.sorted() == [
                    "ConlabCommandLine", "ConlabConformance", "ConlabCore", "ConlabIO", "ConlabLatency", "ConlabLog",
                    "ConlabScenario", "ConlabToolkit",
                ]
            )

            for (product, roots) in libraries {
                var pending = roots
                var seen: Set<String> = []
                while let name = pending.popLast() {
                    guard seen.insert(name).inserted, let target = byName[name] else { continue }
                    let settings = target["settings"] as? [[String: Any]] ?? []
                    let unsafe = settings.filter { (($0["kind"] as? [String: Any])?["unsafeFlags"]) != nil }
                    #expect(unsafe.isEmpty, "\(product) needs \(name), which has unsafe flags")
                    pending += Self.targetDependencies(of: target)
                }
            }
            // The executable still links the runtime statically in release: the flag moved, it did not go.
            let executable = try #require(byName["conlab"])
            #expect((executable["settings"] as? [[String: Any]] ?? []).contains { "\($0)".contains("-static-stdlib") })
        }

        /// The names of the package's own targets that `target` depends on.
        private static func targetDependencies(of target: [String: Any]) -> [String] {
            (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                let reference = dependency["byName"] ?? dependency["target"]
                return (reference as? [Any])?.first as? String
            }
        }
    }
}
