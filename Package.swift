// swift-tools-version:6.1
import PackageDescription

// conlab: a concurrency lab. The layout is the architecture, as swift-nio keeps NIOCore apart from NIOPosix:
//   ConlabCore        the contract a strategy author reads in one sitting: Strategy, session, units and batches,
//                     waits (modelled I/O, and the open ExternalWork for the rest), plan, estimate, ideal
//                     schedule, options. It depends on nothing of conlab's.
//                     Folders: Strategy/, Options/, Units/, Waits/, Plan/, Pipelines/, Text/.
//   ConlabToolkit     machinery strategies may use: the drivers that run units through their waits, OS threads,
//                     the reactor core, precise blocking sleeps and the task timers, queues, failure and
//                     cancellation flags, the threaded pipeline, SHA-256.
//                     Folders: Execution/, Threads/, Reactor/, Sleeping/, Queues/, Coordination/, Pipelines/,
//                     Digests/.
//   ConlabIO          processes and descriptors: spawning, child jobs and their reactor, loopback sockets and
//                     line framing, the readiness reactor, descriptor writers, the worker processes' wire types.
//                     Folders: Children/, Sockets/, Readiness/, Files/, Workers/, Services/.
//   ConlabLatency     how workloads draw their waits: counter-based randomness and latency models
//   ConlabScenario    YAML scenario files -> typed, validated scenarios (Yams); the workload contract: the model
//                     (phases, planned profiles) and the workload-kind protocol with the readers a kind uses;
//                     the strategy and workload registries the loader looks names up in
//   ConlabWorkloads   the workload kinds (the Game of Life, ...), one folder each, and their one explicit list
//   ConlabLog         the structured log's events, written and read back as the same typed values
//   ConlabRunner      dispatch to strategies, reference checks, the run-event stream and its sinks (log, trace,
//                     histograms), summaries
//   Plugins/Strategy* one library per concurrency strategy; each imports ConlabCore and only the toolkit it uses
//                     (ConlabToolkit; ConlabIO for the process strategy, which spawns its workers); the nio
//                     strategy alone brings in a package from outside, swift-nio (NIOCore and NIOPosix).
//                     `Plugins/` holds these ordinary library targets, not SwiftPM package plugins.
//   ConlabExternal    strategies that are programs of their own (any language), registered by manifests and
//                     spoken to over pipes: the `external` strategy the command line always registers
//   ConlabStrategies  the one explicit registration list of the strategies above
//   ConlabCommandLine the command line as a library: `Conlab.main(strategies:workloads:)` runs it with given lists
//   conlab            the executable: the command line with the built-in strategies
let package = Package(
    name: "conlab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "conlab", targets: ["conlab"]),
        // For other packages: the contracts to write a strategy (ConlabCore) and a workload kind (ConlabScenario)
        // against, and the command line with the built-in strategies and workloads, to build a `conlab` of their
        // own with more (`BuiltInStrategies.all + [Mine.self]`, `BuiltInWorkloads.all + [MyWorkload.self]`).
        .library(name: "ConlabCore", targets: ["ConlabCore"]),
        .library(name: "ConlabScenario", targets: ["ConlabScenario"]),
        // How a workload draws its waits: counter-based randomness and latency models.
        .library(name: "ConlabLatency", targets: ["ConlabLatency"]),
        // The machinery a strategy may build on: threads, timers and queues; spawning, sockets, reactors.
        .library(name: "ConlabToolkit", targets: ["ConlabToolkit"]),
        .library(name: "ConlabIO", targets: ["ConlabIO"]),
        .library(name: "ConlabConformance", targets: ["ConlabConformance"]),
        // A run's log, read back as typed events (`LogReader`), for tools that read conlab's logs.
        .library(name: "ConlabLog", targets: ["ConlabLog"]),
        .library(
            name: "ConlabCommandLine",
            targets: ["ConlabCommandLine", "ConlabStrategies", "ConlabWorkloads", "ConlabExternal"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The nio strategy's event loops; only NIOCore and NIOPosix are used.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // MARK: Core
        // What Glibc's module leaves out: epoll for the readiness reactor, accept4, gettid for traces.
        .target(name: "CLinux"),
        // The contract: the ideal schedule's list scheduling keeps its free workers in a heap.
        .target(
            name: "ConlabCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")]
        ),
        .target(
            name: "ConlabToolkit",
            dependencies: [
                "ConlabCore", "CLinux",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "ConlabIO",
            dependencies: [
                "ConlabCore", "ConlabToolkit", "CLinux", .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "ConlabLatency", dependencies: ["ConlabCore"]),
        .target(
            name: "ConlabScenario",
            dependencies: ["ConlabCore", "ConlabLatency", "ConlabToolkit", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "ConlabWorkloads",
            dependencies: ["ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabScenario"]
        ),
        .target(name: "ConlabLog"),
        .target(
            name: "ConlabRunner",
            dependencies: [
                "ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabLog", "ConlabScenario",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),

        // MARK: Strategies (ordinary library targets kept under Plugins/, one folder per strategy)
        .target(
            name: "StrategySerial",
            dependencies: ["ConlabCore", "ConlabToolkit"],
            path: "Plugins/StrategySerial"
        ),
        .target(
            name: "StrategyAsync",
            dependencies: [
                "ConlabCore", "ConlabToolkit", .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Plugins/StrategyAsync"
        ),
        .target(
            name: "StrategyThread",
            dependencies: ["ConlabCore", "ConlabToolkit"],
            path: "Plugins/StrategyThread"
        ),
        .target(
            name: "StrategyProcess",
            dependencies: ["ConlabCore", "ConlabToolkit", "ConlabIO"],
            path: "Plugins/StrategyProcess"
        ),
        .target(
            name: "StrategyLoop",
            dependencies: [
                "ConlabCore", "ConlabToolkit", .product(name: "HeapModule", package: "swift-collections"),
            ],
            path: "Plugins/StrategyLoop"
        ),
        .target(
            name: "StrategyQueue",
            dependencies: ["ConlabCore", "ConlabToolkit"],
            path: "Plugins/StrategyQueue"
        ),
        .target(
            name: "StrategyPool",
            dependencies: [
                "ConlabCore", "ConlabToolkit", .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Plugins/StrategyPool"
        ),
        // SwiftNIO's event loops with scheduled tasks: the strategy a Swift server engineer would reach for.
        .target(
            name: "StrategyNIO",
            dependencies: [
                "ConlabCore", "ConlabToolkit", .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Plugins/StrategyNIO"
        ),

        // A strategy that is a program of its own, in any language, registered by a manifest and spoken to over
        // pipes (docs/strategy-protocol.md). Not a Plugins/Strategy* folder: it is the door for strategies from
        // outside, registered by the command line itself, not one strategy of the built-in list.
        .target(name: "ConlabExternal", dependencies: ["ConlabCore", "ConlabToolkit", "ConlabIO"]),

        // MARK: Registration
        .target(
            name: "ConlabStrategies",
            dependencies: [
                "ConlabCore", "ConlabScenario", "StrategySerial", "StrategyThread", "StrategyQueue", "StrategyPool",
                "StrategyAsync", "StrategyProcess", "StrategyLoop", "StrategyNIO",
            ]
        ),

        // MARK: Command line
        .target(
            name: "ConlabCommandLine",
            dependencies: [
                "ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabLog", "ConlabWorkloads",
                "ConlabScenario", "ConlabRunner", "ConlabExternal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "conlab",
            dependencies: ["ConlabCommandLine", "ConlabStrategies"],
            // The linker's list of start-up functions (bench/startup-symbols writes it; used at the end).
            exclude: ["startup-symbols.txt"]
        ),

        // The loader's libFuzzer target (bench/fuzz/run builds it with -sanitize=fuzzer,address and
        // -DCONLAB_FUZZ); an ordinary build makes the tool that replays a corpus through the loader.
        .executableTarget(
            name: "ConlabFuzz",
            dependencies: ["ConlabScenario", "ConlabWorkloads", "ConlabStrategies"],
            path: "bench/fuzz/ScenarioFuzz"
        ),

        // MARK: Test support
        // The check every strategy passes, for conlab's tests and other packages' alike.
        .target(
            name: "ConlabConformance",
            dependencies: ["ConlabCore", "ConlabLatency", "ConlabIO", "ConlabScenario", "ConlabWorkloads"]
        ),
        .target(
            name: "ConlabTestSupport",
            dependencies: ["ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabLog", "ConlabWorkloads"]
        ),

        // MARK: Tests
        .testTarget(
            name: "ConlabCoreTests",
            dependencies: ["ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabTestSupport"]
        ),
        .testTarget(
            name: "ConlabToolkitTests",
            dependencies: ["ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabTestSupport"]
        ),
        .testTarget(
            name: "ConlabIOTests",
            dependencies: ["ConlabCore", "ConlabToolkit", "ConlabIO", "ConlabTestSupport"]
        ),
        .testTarget(name: "ConlabLatencyTests", dependencies: ["ConlabCore", "ConlabLatency", "ConlabTestSupport"]),
        .testTarget(
            name: "ConlabWorkloadsTests",
            dependencies: [
                "ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabScenario", "ConlabWorkloads",
                "ConlabStrategies", "ConlabTestSupport",
            ]
        ),
        .testTarget(
            name: "ConlabScenarioTests",
            dependencies: [
                "ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabWorkloads", "ConlabScenario",
                "ConlabStrategies", "ConlabTestSupport",
            ]
        ),
        .testTarget(
            name: "ConlabStrategiesTests",
            dependencies: [
                "ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabScenario", "ConlabWorkloads",
                "ConlabStrategies", "StrategyProcess", "StrategyLoop", "StrategyPool", "StrategyNIO", "StrategyAsync",
                "ConlabConformance", "ConlabTestSupport", "conlab",
            ]
        ),
        .testTarget(
            name: "ConlabRunnerTests",
            dependencies: [
                "ConlabCore", "ConlabLatency", "ConlabToolkit", "ConlabIO", "ConlabLog", "ConlabWorkloads",
                "ConlabRunner", "ConlabScenario", "ConlabStrategies", "ConlabTestSupport",
            ]
        ),
        .testTarget(name: "ConlabLogTests", dependencies: ["ConlabLog", "ConlabTestSupport", "conlab"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ConlabCore", "ConlabLog", "ConlabToolkit", "ConlabTestSupport", "conlab"]
        ),
    ]
)

// Strict settings for every target, as swift-log does.
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    // Require `any` for existential types.
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // A file sees only the modules it imports.
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    // Imports are internal unless a public API needs them.
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}

// A release conlab links the Swift runtime and Foundation statically, as `swift build --static-swift-stdlib`
// does: loading and binding the shared libraries was most of the 13 ms a start took, and the process strategy
// starts its workers inside the time it measures (with `conlab worker`'s own fast path, a worker is ready in
// 4.5 ms instead of 13). Only executables carry the flag: linking with it is what pulls in the static
// libraries (the libraries' modules are the same for both), and SwiftPM refuses a dependency whose library
// products contain unsafe flags, even behind a trait, so the libraries stay free of them for other packages.
// Debug builds and tests keep the shared runtime. The linker's one warning, about `mktemp` in Foundation's
// own archive, is Foundation's and harmless here.
//
// It is linked as a fixed-position executable (`-no-pie`) too. A position-independent one carries 94,000
// relocations (2.2 MiB of them, nearly all in the static Swift runtime and Foundation's metadata) that the dynamic
// loader applies at every start, writing to 1.1 MiB of pages it then keeps private: `-no-pie` took 1 ms and
// 3.5 MiB off each start (issue 20 point 5, BENCHMARKS.md). The cost is that the executable's own code is not
// placed at a random address; its libraries, stack and heap still are.
//
// Two more choices keep a start's memory down; both are about pages the kernel maps, not code that runs. The
// toolchain's static-stdlib-args.lnk exports every public symbol of the package's own modules (15,600 of
// them) from the executable, though nothing in conlab looks them up there: `--no-export-dynamic` drops the 1.4 MiB
// of tables, of which a start read 0.6 MiB. And conlab is linked with lld, which lays out the functions
// listed in Sources/conlab/startup-symbols.txt (the ones a start and a small run execute, found by
// bench/startup-symbols with callgrind) side by side: the kernel maps code 64 KiB around each page touched,
// so start-up code spread over all 20 MiB of the text kept 9 MiB of it resident. Names not found in a build
// (after a toolchain update, say) are skipped: a stale list costs memory, never correctness.
let staticRuntime = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
let startupSymbols = Context.packageDirectory + "/Sources/conlab/startup-symbols.txt"
for target in package.targets where target.type == .executable {
    var flags = ["-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"]
    if target.name == "conlab" {
        flags += [
            "-use-ld=lld", "-Xlinker", "--symbol-ordering-file=\(startupSymbols)", "-Xlinker",
            "--no-warn-symbol-ordering",
        ]
    }
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-static-stdlib"], staticRuntime)]
    target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(flags, staticRuntime)]
}
