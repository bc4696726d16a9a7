import ConlabCore
import ConlabScenario
import ConlabStrategies
import Foundation
import Testing

@Suite("Strategy registry")
struct RegistryTests {
    private static var pluginFolders: [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Plugins")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { $0.hasPrefix("Strategy") }.sorted()
    }

    @Test("Every Plugins/Strategy* folder is in the registration list, and nothing else is")
    func completeness() {
        let folders = Self.pluginFolders
        #expect(!folders.isEmpty)
        // Plugins/StrategyAsync registers the strategy named "async".
        let expected = Set(folders.map { $0.dropFirst("Strategy".count).lowercased() })
        let registered = Set(BuiltInStrategies.all.map { $0.name })
        #expect(
            expected.subtracting(registered).isEmpty,
            "folders without a registration: \(expected.subtracting(registered))"
        )
        #expect(
            registered.subtracting(expected).isEmpty,
            "registrations without a folder: \(registered.subtracting(expected))"
        )
    }

    @Test("Lookup by name and alias; names are lowercase and summaries present")
    func lookup() {
        let registry = BuiltInStrategies.registry
        #expect(registry.strategy(named: "serial") == nil ? false : true)
        #expect(registry.strategy(named: "actor")?.name == "async")
        #expect(registry.strategy(named: "fibers") == nil)
        for strategy in registry.strategies {
            #expect(strategy.name == strategy.name.lowercased())
            #expect(!strategy.summary.isEmpty)
        }
    }
}
