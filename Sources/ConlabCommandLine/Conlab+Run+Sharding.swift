import ArgumentParser
import ConlabCore
import ConlabLog
import ConlabScenario
import ConlabToolkit

extension Conlab.Run {
    /// `--shard I/N`, parsed: shard `index` of `count`.
    struct ShardSelection {
        let index: Int
        let count: Int

        /// Reads `I/N` with `0 <= I < N`; `nil` for anything else.
        init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
                (0..<count).contains(index)
            else { return nil }
            self.index = index
            self.count = count
        }
    }

    /// The shard asked for, parsed.
    func parsedShard() throws -> ShardSelection? {
        guard let shard else { return nil }
        guard let selection = ShardSelection(shard) else {
            throw ValidationError("--shard expects I/N with 0 <= I < N, e.g. 0/4, got '\(shard)'")
        }
        return selection
    }

    /// What a shard runs: each scenario's measured rounds that fall to it (empty: the scenario is skipped),
    /// and what its log says of the split.
    ///
    /// The cells are every scenario (one per sweep setting) times every repetition, scenario by scenario;
    /// cell `k` falls to shard `k % N`. Round-robin rather than a hash: it depends on nothing but the order of
    /// the files and flags, which every machine reads alike, and it spreads a sweep's settings evenly.
    func shardPlan(
        _ selection: ShardSelection,
        plans: [(Scenario, [StrategySpec])]
    ) throws -> (
        rounds: [Set<Int>], info: ShardInfo
    ) {
        let names = plans.map(\.0.name)
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            StandardError.print(
                "--shard: two scenarios are named '\(repeated)'; a shard's cells are named by their scenarios, so each name must be unique"
            )
            throw ExitCode(ExitStatus.invalidInput)
        }
        var runCells: [String] = []
        var rounds: [Set<Int>] = []
        for (scenario, _) in plans {
            var mine: Set<Int> = []
            for repetition in 1...`repeat` {
                if runCells.count % selection.count == selection.index { mine.insert(repetition) }
                runCells.append(ShardInfo.cell(scenario: scenario.name, repetition: repetition))
            }
            rounds.append(mine)
        }
        // What makes two shards parts of one run, beyond the flags: each scenario as loaded and the strategies
        // it runs; the `--set` overrides are in the names of nothing, so they are hashed too.
        var digest = SHA256()
        for (scenario, specs) in plans {
            digest.update("\(scenario.name)\t\(scenario.fileSHA256)\t\(scenario.seed)\n")
            for spec in specs { digest.update("\t\(spec.strategy.label)\n") }
        }
        for override in scenarios.overrides { digest.update("--set \(override)\n") }
        digest.update("--repeat \(`repeat`) --warmup \(warmup)\n")
        let info = ShardInfo(
            index: selection.index,
            count: selection.count,
            cells: ShardInfo.cells(of: runCells, index: selection.index, count: selection.count),
            runCells: runCells,
            scenariosSHA256: digest.finalizeHex()
        )
        return (rounds, info)
    }
}
