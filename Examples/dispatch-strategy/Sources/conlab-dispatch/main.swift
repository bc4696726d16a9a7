import ConlabCommandLine
import ConlabStrategies
import StrategyDispatch

// conlab's command line — run, explain, validate, report, compare, strategies — with one more strategy.
await Conlab.main(strategies: BuiltInStrategies.all + [DispatchStrategy.self])
