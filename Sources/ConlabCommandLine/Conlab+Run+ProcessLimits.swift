import ArgumentParser
import ConlabCore
import ConlabIO
import ConlabRunner
import ConlabScenario

extension Conlab.Run {
    /// Refuses, with exit status 2 and before anything starts, every plan that would run more processes
    /// or hold more descriptors at once than this machine allows (``ProcessLimits``): each at the
    /// strategy's place in its file, as `validate` points at a strategy that cannot run the workload.
    func refuseOverProcessLimits(
        _ plans: [(Scenario, [StrategySpec])],
        cores: Int,
        services: WaitServices
    ) throws {
        let limits = ProcessLimits.current()
        var refused = false
        for (scenario, specs) in plans {
            for (spec, reason) in PlanExplanation.processRefusals(
                scenario,
                strategies: specs,
                cores: cores,
                services: services,
                processLimits: limits
            ) {
                refused = true
                if let index = scenario.strategies.firstIndex(where: { $0.location == spec.location }),
                    spec.location != .unknown
                {
                    StandardError.print("\(spec.location): strategies.\(index): \(reason)")
                } else {
                    StandardError.print("\(scenario.file): --strategies \(spec.name): \(reason)")
                }
            }
        }
        if refused { throw ExitCode(ExitStatus.invalidInput) }
    }
}
