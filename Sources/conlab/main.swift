import ConlabCommandLine
import ConlabStrategies

// The strategies this conlab runs: the built-in ones. Another package builds its own conlab the same way,
// with its strategies added to the list.
await Conlab.main(strategies: BuiltInStrategies.all)
