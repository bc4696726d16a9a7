// swift-tools-version:6.1
import PackageDescription

// A strategy and a workload kind from outside conlab's tree: this package depends on conlab (here by path;
// elsewhere by its URL) and builds a `conlab-dispatch` that is the whole conlab command line with one more
// strategy and one more kind of workload.
//   StrategyDispatch   the strategy, written against conlab's contract (the ConlabCore product), running its units
//                      with the drivers of ConlabToolkit
//   WorkloadFetch      the workload kind `fetch`: its units (ConlabCore), draws (ConlabLatency), model and scenario
//                      side (ConlabScenario)
//   conlab-dispatch    the executable: conlab's command line with the built-in strategies and workloads and these
let package = Package(
    name: "dispatch-strategy",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "conlab", path: "../..")
    ],
    targets: [
        .target(
            name: "StrategyDispatch",
            dependencies: [
                .product(name: "ConlabCore", package: "conlab"), .product(name: "ConlabToolkit", package: "conlab"),
            ]
        ),
        .target(
            name: "WorkloadFetch",
            dependencies: [
                .product(name: "ConlabCore", package: "conlab"),
                .product(name: "ConlabLatency", package: "conlab"),
                .product(name: "ConlabScenario", package: "conlab"),
                .product(name: "ConlabToolkit", package: "conlab"),
            ]
        ),
        .executableTarget(
            name: "conlab-dispatch",
            dependencies: [
                "StrategyDispatch", "WorkloadFetch", .product(name: "ConlabCommandLine", package: "conlab"),
            ]
        ),
        .testTarget(
            name: "StrategyDispatchTests",
            dependencies: [
                "StrategyDispatch",
                .product(name: "ConlabCore", package: "conlab"),
                .product(name: "ConlabConformance", package: "conlab"),
            ]
        ),
        .testTarget(
            name: "WorkloadFetchTests",
            dependencies: [
                "WorkloadFetch", "StrategyDispatch",
                .product(name: "ConlabCore", package: "conlab"),
                .product(name: "ConlabLatency", package: "conlab"),
                .product(name: "ConlabScenario", package: "conlab"),
            ]
        ),
    ]
)
