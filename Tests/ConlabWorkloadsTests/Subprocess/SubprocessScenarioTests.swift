import ConlabCore
import ConlabIO
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("Subprocess scenarios")
struct SubprocessScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    static let yaml = """
        name: children
        seed: 9
        workload:
          kind: subprocess
          jobs:
            - run: [echo, hi]
            - name: chained
              chain:
                - run: [openssl, enc, -des3, -pbkdf2, -pass, env:password]
                  env: { password: secret }
                - run: [openssl, dgst, -sha256]
              stdin: { random_bytes: 100 }
              timeout: 2s
              grace: 100ms
              count: 3
            - run: "ls | wc -l"
              shell: true
              cwd: /tmp
              env_mode: replace
              poll: 10ms
              expect: { signal: SIGTERM }
        strategies: [serial, thread, async]
        """

    @Test("Jobs of one command, chains, and a shell command line read as written")
    func reading() throws {
        guard let workload = try loader.load(yaml: Self.yaml, file: "c.yaml").workload as? SubprocessWorkload else {
            Issue.record("expected a subprocess workload")
            return
        }
        #expect(workload.jobs.count == 3)
        #expect(workload.jobs[0].commands == [ChildCommand(arguments: ["echo", "hi"])])
        #expect(workload.jobs[0].name == "echo")
        #expect(workload.jobs[1].commands.count == 2 && workload.jobs[1].count == 3)
        #expect(workload.jobs[1].commands[0].environment == ["password": "secret"])
        #expect(workload.jobs[1].input == .randomBytes(100))
        #expect(workload.jobs[1].timeout == .seconds(2) && workload.jobs[1].grace == .milliseconds(100))
        #expect(workload.jobs[2].commands[0].argv == ["/bin/sh", "-c", "ls | wc -l"])
        #expect(workload.jobs[2].commands[0].replacesEnvironment && workload.jobs[2].commands[0].directory == "/tmp")
        #expect(workload.jobs[2].expected == .signalled(15) && workload.jobs[2].pollInterval == .milliseconds(10))
    }

    @Test(
        "No shell unless asked; malformed jobs are rejected with their key paths",
        arguments: [
            ("workload.jobs.0.run=echo hi", "workload.jobs.0.run", "needs shell: true"),
            ("workload.jobs.0={ name: x }", "workload.jobs.0", "exactly one of 'run'"),
            ("workload.jobs.1.chain=[{ run: [cat] }]", "workload.jobs.1.chain", "at least two commands"),
            ("workload.jobs.2.expect={ signal: SIGFOO }", "workload.jobs.2.expect.signal", "a signal name"),
            ("workload.jobs.0.count=0", "workload.jobs.0.count", "a whole number from 1"),
            ("workload.jobs.0.timeout=0s", "workload.jobs.0.timeout", "a positive duration"),
            ("workload.jobs=[]", "workload.jobs", "at least one job"),
        ]
    )
    func malformed(override: String, path: String, words: String) throws {
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: Self.yaml, file: "c.yaml", overrides: [ScenarioOverride(override)!])
        }
        #expect(error.issues.contains { $0.path == path && $0.message.contains(words) }, "\(error)")
    }
}
