import ConlabCore
import ConlabScenario
import ConlabWorkloads
import Foundation
import Testing

@Suite("Workload registry")
struct WorkloadRegistryTests {
    /// The workload folders of `Sources/ConlabWorkloads`; `Support` holds what several kinds share.
    private static var workloadFolders: [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ConlabWorkloads")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return name != "Support"
                && FileManager.default.fileExists(
                    atPath: root.appendingPathComponent(name).path,
                    isDirectory: &isFolder
                )
                && isFolder.boolValue
        }.sorted()
    }

    @Test("Every Sources/ConlabWorkloads folder is in the registration list, and nothing else is")
    func completeness() {
        let folders = Self.workloadFolders
        #expect(!folders.isEmpty)
        // Sources/ConlabWorkloads/Life registers the kind written "life".
        let expected = Set(folders.map { $0.lowercased() })
        let registered = Set(BuiltInWorkloads.registry.kinds)
        #expect(
            expected.subtracting(registered).isEmpty,
            "folders without a registration: \(expected.subtracting(registered))"
        )
        #expect(
            registered.subtracting(expected).isEmpty,
            "registrations without a folder: \(registered.subtracting(expected))"
        )
    }

    @Test("A kind whose traits say portable declares what a worker process decodes, and only such a kind does")
    func portableTypes() {
        for workload in BuiltInWorkloads.all {
            let declared =
                workload.traits.shape == .pipeline ? workload.portablePipelines.count : workload.portableBatches.count
            #expect((declared > 0) == workload.traits.isPortable, "\(workload.kind)")
        }
        #expect(
            BuiltInWorkloads.registry.portableBatch(kind: LifeGeneration.batchKind).map(ObjectIdentifier.init)
                == ObjectIdentifier(LifeGeneration.self)
        )
        #expect(
            BuiltInWorkloads.registry.portablePipeline(kind: PipelineWorkload.pipelineKind).map(ObjectIdentifier.init)
                == ObjectIdentifier(PipelineWorkload.self)
        )
        #expect(BuiltInWorkloads.registry.portableBatch(kind: "no-such-kind") == nil)
    }
}
