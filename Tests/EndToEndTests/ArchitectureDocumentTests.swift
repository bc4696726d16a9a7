import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// docs/architecture.md's module table is the package's: every module, its folder and what it depends on.
    @Suite("The architecture page")
    struct ArchitectureDocumentTests {
        @Test("Its module table lists every module of Package.swift with the package's own dependencies")
        func moduleTable() async throws {
            let manifest = try await PackageManifest.dump()
            var package: [String: (path: String, dependencies: Set<String>)] = [:]
            for target in try #require(manifest["targets"] as? [[String: Any]])
            where target["type"] as? String != "test" {
                let name = try #require(target["name"] as? String)
                let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                    ((dependency["byName"] ?? dependency["target"]) as? [Any])?.first as? String
                }
                let path = target["path"] as? String ?? "Sources/\(name)"
                package[name] = (path, Set(dependencies))
            }

            let page = try String(
                contentsOf: ConlabBinary.packageRoot.appendingPathComponent("docs/architecture.md"),
                encoding: .utf8
            )
            var documented: [String: (path: String, dependencies: Set<String>)] = [:]
            for line in page.split(separator: "\n") where line.hasPrefix("| `") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard cells.count >= 5 else { continue }
                let names = Self.quoted(cells[1])
                let path = Self.quoted(cells[2]).first ?? ""
                for name in names { documented[name] = (path, Set(Self.quoted(cells[4]))) }
            }
            #expect(documented.keys.sorted() == package.keys.sorted())
            for (name, target) in package {
                guard let row = documented[name] else { continue }
                // A row for several strategies gives their folder as `Plugins/Strategy<Name>`.
                let path = row.path.replacingOccurrences(of: "Strategy<Name>", with: name)
                #expect(path == target.path, "\(name): the page says \(row.path), Package.swift \(target.path)")
                #expect(
                    row.dependencies == target.dependencies,
                    "\(name): the page says \(row.dependencies.sorted()), Package.swift \(target.dependencies.sorted())"
                )
            }
        }

        /// The `quoted` words of a table cell, in order.
        private static func quoted(_ cell: String) -> [String] {
            cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
                .map { String($0.element) }
        }
    }
}
