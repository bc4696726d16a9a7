import ConlabCore
import ConlabRunner
import ConlabWorkloads
import Testing

@Suite("Plans explained without the reference")
struct PlanExplanationTests {
    @Test("A CPU workload's profiles without running are exactly what the reference records")
    func cpuProfilesMatchReference() throws {
        let workload = CPUWorkload(tasks: [.factorize(2_139_079), .gcd(1_071, 462)], rounds: 3)
        let shortcut = try #require(workload.profilesWithoutRunning())
        #expect(shortcut == ReferenceRun(workload).profiles)
    }

    @Test(
        "A guessing game's profiles without running are exactly what the reference records",
        arguments: [false, true]
    )
    func guessProfilesMatchReference(badPeers: Bool) throws {
        let workload = GuessWorkload(
            server: .threaded,
            clients: 3,
            sessions: 2,
            badPeers: badPeers,
            random: CounterRandom(seed: 61)
        )
        let shortcut = try #require(workload.profilesWithoutRunning())
        #expect(shortcut == ReferenceRun(workload).profiles)
    }

    @Test("Subprocess jobs' profile without running is exactly what the reference records, and so is its demand")
    func subprocessProfilesMatchReference() throws {
        let workload = SubprocessWorkload(
            jobs: [
                .init(name: "sleep", commands: [ChildCommand(arguments: ["sleep", "1"])], count: 3),
                .init(
                    name: "cat | wc",
                    commands: [ChildCommand(arguments: ["cat"]), ChildCommand(arguments: ["wc", "-c"])],
                    input: .randomBytes(10),
                    count: 2
                ),
            ],
            random: CounterRandom(seed: 52)
        )
        let shortcut = try #require(workload.profilesWithoutRunning())
        #expect(shortcut == ReferenceRun(workload).profiles)
        // Per job: the sleeps one process each, the chain two, and its input's pipe besides the others.
        #expect(
            workload.childDemand
                == ChildDemand(groups: [
                    ChildJob.demand(commands: 1, hasInput: false, count: 3),
                    ChildJob.demand(commands: 2, hasInput: true, count: 2),
                ])
        )
    }
}
