// swift-tools-version:6.1
import PackageDescription

// A strategy from outside conlab's tree: this package depends on conlab (here by path; elsewhere by its URL)
// and builds a `conlab-dispatch` that is the whole conlab command line with one more strategy.
//   StrategyDispatch   the strategy, written against conlab's contract (the ConlabCore product) only
//   conlab-dispatch    the executable: conlab's command line with the built-in strategies and this one
let package = Package(
    name: "dispatch-strategy",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "conlab", path: "../..")
    ],
    targets: [
        .target(name: "StrategyDispatch", dependencies: [.product(name: "ConlabCore", package: "conlab")]),
        .executableTarget(
            name: "conlab-dispatch",
            dependencies: ["StrategyDispatch", .product(name: "ConlabCommandLine", package: "conlab")]
        ),
        .testTarget(
            name: "StrategyDispatchTests",
            dependencies: [
                "StrategyDispatch",
                .product(name: "ConlabCore", package: "conlab"),
                .product(name: "ConlabConformance", package: "conlab"),
            ]
        ),
    ]
)
