import ConlabCommandLine
import ConlabStrategies
import ConlabWorkloads
import StrategyDispatch
import WorkloadFetch

// conlab's command line with one more strategy and one more workload kind: each list is conlab's own plus
// this package's.
await Conlab.main(
    strategies: BuiltInStrategies.all + [DispatchStrategy.self],
    workloads: BuiltInWorkloads.all + [FetchWorkload.self]
)
