import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("Pipeline scenarios")
struct PipelineScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry)

    static let pipeline = """
        name: pipe
        workload:
          kind: pipeline
          items: 100
          workers: 2
          buffer: 4
          discipline: polling
          poll_interval: 5ms
          stages:
            - { name: download, latency: 1ms }
            - { name: resize, cpu: 200us, workers: 1 }
            - { name: upload, latency: { exponential: { mean: 2ms } }, failure_rate: 0.01, timeout: 50ms }
        strategies: [serial, thread, queue, pool, async]
        """

    @Test("Every field of a pipeline is read")
    func fields() throws {
        let scenario = try loader.load(yaml: Self.pipeline, file: "pipe.yaml")
        guard case .pipeline(let spec) = scenario.workload else {
            Issue.record("expected a pipeline")
            return
        }
        #expect(spec.items == 100)
        #expect(spec.buffer == 4)
        #expect(spec.discipline == .polling(interval: .milliseconds(5)))
        #expect(
            spec.stages.map(\.stage) == [
                PipelineStage(name: "download", workers: 2), PipelineStage(name: "resize", workers: 1),
                PipelineStage(name: "upload", workers: 2),
            ]
        )
        #expect(spec.stages[1].io == nil && spec.stages[1].cpu == .microseconds(200))
        #expect(
            spec.stages[2].io
                == IOModel(latency: .exponential(mean: .milliseconds(2)), failureRate: 0.01, timeout: .milliseconds(50))
        )
        #expect(
            spec.summary
                == "100 items through download → resize → upload, workers 2/1/2, buffers of 4 polling every 5ms queues"
        )
    }

    @Test("Defaults: one worker, unbounded blocking queues")
    func defaults() throws {
        let scenario = try loader.load(
            yaml: Self.pipeline,
            file: "pipe.yaml",
            overrides: ["workload={ kind: pipeline, items: 10, stages: [{ name: a, latency: 1ms }] }"].map {
                ScenarioOverride($0)!
            }
        )
        guard case .pipeline(let spec) = scenario.workload else { return }
        #expect(spec.buffer == nil && spec.discipline == .blocking && spec.stages[0].stage.workers == 1)
    }

    @Test(
        "Malformed pipelines are rejected with their key paths",
        arguments: [
            ("workload.discipline=spinning", "workload.discipline", "blocking or polling"),
            ("workload.buffer=0", "workload.buffer", "or unbounded"),
            ("workload.items=0", "workload.items", "a whole number from 1"),
            ("workload.stages=[]", "workload.stages", "at least one stage"),
            ("workload.stages.1={ name: resize }", "workload.stages.1", "'latency' and/or 'cpu'"),
            ("workload.stages.1={ name: download, latency: 1ms }", "workload.stages.1.name", "unique"),
            ("workload.stages.0.colour=red", "workload.stages.0.colour", "unknown key 'colour'"),
            (
                "workload.stages.1={ name: resize, cpu: 1ms, failure_rate: 0.5 }", "workload.stages.1.failure_rate",
                "expected 'latency'"
            ),
            ("workload.generations=4", "workload.generations", "unknown key 'generations'"),
        ]
    )
    func malformed(override: String, path: String, words: String) throws {
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: Self.pipeline, file: "pipe.yaml", overrides: [ScenarioOverride(override)!])
        }
        #expect(error.issues.contains { $0.path == path && $0.message.contains(words) }, "\(error)")
    }
}

@Suite("CPU scenarios")
struct CPUScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry)

    @Test("factorize and gcd workloads load, and malformed ones are rejected")
    func loading() throws {
        let yaml = """
            name: cpu
            workload: { kind: cpu, task: gcd, numbers: [[12, 18], [7, 5]], rounds: 2 }
            strategies: [serial, thread]
            """
        let scenario = try loader.load(yaml: yaml, file: "cpu.yaml")
        guard case .cpu(let workload) = scenario.workload else {
            Issue.record("expected a CPU workload")
            return
        }
        #expect(workload.tasks == [.gcd(12, 18), .gcd(7, 5)])
        #expect(workload.rounds == 2)
        for (override, path) in [
            ("workload.task=sort", "workload.task"), ("workload.numbers.1=[7]", "workload.numbers.1"),
            ("workload.rounds=0", "workload.rounds"), ("workload.numbers=[]", "workload.numbers"),
        ] {
            let error = try #require(throws: ScenarioError.self) {
                try loader.load(yaml: yaml, file: "cpu.yaml", overrides: [ScenarioOverride(override)!])
            }
            #expect(error.issues.contains { $0.path == path }, "\(override): \(error)")
        }
    }
}

@Suite("Counter scenarios")
struct CounterScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry)

    @Test("A counter workload loads; a protection conlab does not have is rejected")
    func loading() throws {
        let yaml = """
            name: counter
            workload: { kind: counter, workers: 5, increments: 100000, sync: lock }
            strategies: [serial, thread]
            """
        guard case .counter(let workload) = try loader.load(yaml: yaml, file: "c.yaml").workload else {
            Issue.record("expected a counter workload")
            return
        }
        #expect(workload.workers == 5 && workload.increments == 100_000 && workload.sync == .lock)
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml, file: "c.yaml", overrides: [ScenarioOverride("workload.sync=semaphore")!])
        }
        #expect(
            error.description.contains("workload.sync: expected one of none, lock, atomic, actor, found 'semaphore'")
        )
    }
}

@Suite("Guessing-game scenarios")
struct GuessScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry)

    @Test("A guess workload loads with the seed's defaults; a bad server or count is located and explained")
    func loading() throws {
        let yaml = """
            name: guess
            workload:
              kind: guess
              server: async
            strategies: [serial, async]
            """
        guard case .guess(let workload) = try loader.load(yaml: yaml, file: "g.yaml").workload else {
            Issue.record("expected a guess workload")
            return
        }
        #expect(workload.server == .async && workload.clients == 1 && workload.sessions == 2)
        #expect(!workload.badPeers && workload.timeout == .seconds(5))
        let server = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml.replacing("server: async", with: "server: forked"), file: "g.yaml")
        }
        #expect(
            server.description.contains("g.yaml:4:11: workload.server: expected one of threaded, async, found 'forked'")
        )
        let clients = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml, file: "g.yaml", overrides: [ScenarioOverride("workload.clients=0")!])
        }
        #expect(clients.description.contains("workload.clients"))
    }
}

@Suite("Tail scenarios")
struct TailScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry)

    @Test("A tail workload loads; a missing poll is located and explained")
    func loading() throws {
        let yaml = """
            name: tail
            workload:
              kind: tail
              files: 3
              lines: 10
              pause: 1ms
              poll: 2ms
            strategies: [serial, async]
            """
        guard case .tail(let workload) = try loader.load(yaml: yaml, file: "t.yaml").workload else {
            Issue.record("expected a tail workload")
            return
        }
        #expect(workload.files == 3 && workload.lines == 10 && workload.poll == .milliseconds(2))
        #expect(workload.pause == .fixed(.milliseconds(1)) && workload.timeout == .seconds(60))
        let error = try #require(throws: ScenarioError.self) {
            try loader.load(yaml: yaml.replacing("  poll: 2ms\n", with: ""), file: "t.yaml")
        }
        #expect(error.description.contains("t.yaml:3:3: workload.poll: missing required key 'poll' (a tailer's pause"))
    }
}

@Suite("Subprocess scenarios")
struct SubprocessScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry)

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
        guard case .subprocess(let workload) = try loader.load(yaml: Self.yaml, file: "c.yaml").workload else {
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
