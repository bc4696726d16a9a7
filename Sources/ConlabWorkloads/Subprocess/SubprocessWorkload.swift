public import ConlabCore
public import ConlabIO
public import ConlabLatency
public import ConlabScenario
import ConlabToolkit

/// Item 52: real child processes. One phase of jobs started together (fan-out) and waited (fan-in), each
/// job one command or a chain of them connected by pipes, checked against how it was expected to end.
public struct SubprocessWorkload: PhasedWorkload {
    /// One job as a scenario describes it; `count` copies of it run.
    public struct Job: Sendable, Hashable, Codable {
        /// A name for messages, e.g. `encrypt | hash`.
        public var name: String
        /// The commands, in chain order.
        public var commands: [ChildCommand]
        /// What the first command reads.
        public var input: Input
        /// When the group gets SIGTERM.
        public var timeout: Duration?
        /// How long after SIGTERM it gets SIGKILL.
        public var grace: Duration
        /// Poll the running job at this interval, counting the polls.
        public var pollInterval: Duration?
        /// How every child must end.
        public var expected: ChildProcess.Termination
        /// The most bytes of standard output kept as text; all of it is hashed and counted.
        public var capture: Int
        /// How many copies run.
        public var count: Int

        /// Creates a job.
        public init(
            name: String,
            commands: [ChildCommand],
            input: Input = .none,
            timeout: Duration? = nil,
            grace: Duration = .seconds(1),
            pollInterval: Duration? = nil,
            expected: ChildProcess.Termination = .exited(0),
            count: Int = 1,
            capture: Int = 65536
        ) {
            self.name = name
            self.commands = commands
            self.input = input
            self.timeout = timeout
            self.grace = grace
            self.pollInterval = pollInterval
            self.expected = expected
            self.count = count
            self.capture = capture
        }
    }

    /// What a job's first command reads on standard input.
    public enum Input: Sendable, Hashable, Codable {
        /// Nothing (`/dev/null`).
        case none
        /// This text, as UTF-8.
        case text(String)
        /// This many bytes drawn from the scenario seed (the seed's `os.urandom(n)`, reproducibly).
        case randomBytes(Int)
    }

    /// The jobs as written.
    public let jobs: [Job]
    /// The source of random input.
    public let random: CounterRandom

    /// Creates a workload.
    public init(jobs: [Job], random: CounterRandom) {
        self.jobs = jobs
        self.random = random
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `batch`.
    public var phaseName: String { "batch" }
    /// Nothing yet.
    public var initialState: [JobResult] { [] }

    /// Every copy of every job.
    public func batch(phase: Int, from state: [JobResult]) -> SubprocessBatch {
        SubprocessBatch(phase: phase, jobs: jobs.flatMap { Array(repeating: $0, count: $0.count) }, random: random)
    }

    /// One phase of job copies that each wait once, in `subprocess`, for children the model does not time:
    /// known without drawing their input bytes.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        let units = jobs.reduce(0) { $0 + $1.count }
        return PlannedProfiles([PlannedPhase(units: units, steps: ["subprocess"], waits: .each([.zero]))])
    }

    /// Each job's copies: a process per command, and the pipes it opens.
    public var childDemand: ChildDemand {
        ChildDemand(
            groups: jobs.map { job in
                let hasInput: Bool
                switch job.input {
                case .none: hasInput = false
                case .text(let text): hasInput = !text.isEmpty
                case .randomBytes(let count): hasInput = count > 0
                }
                return ChildJob.demand(commands: job.commands.count, hasInput: hasInput, count: job.count)
            }
        )
    }

    /// The jobs' results.
    public func state(after batch: SubprocessBatch, outputs: [JobResult]) -> [JobResult] { outputs }

    /// SHA-256 of how the jobs were expected to end; output digests vary (random salts) and are logged apart.
    public func digest(of state: [JobResult]) -> String {
        SHA256.hexDigest(of: state.map { "\($0.name): \($0.expected)\n" }.joined())
    }

    /// The first job that did not end as expected, in words.
    public func mismatch(_ state: [JobResult], expected: [JobResult]) -> String? {
        state.enumerated().first { !$0.element.asExpected }.map { index, result in
            "job \(index) (\(result.name)): expected \(result.expected), got "
                + (result.outcome.map { $0.terminations.map(\.description).joined(separator: " | ") } ?? "no outcome")
        }
    }

    /// Children started, how long spawning took, polls, timeouts.
    public func figures(of state: [JobResult]) -> [String: Double] {
        let outcomes = state.compactMap(\.outcome)
        let children = outcomes.reduce(0) { $0 + $1.terminations.count }
        let spawn = outcomes.reduce(0) { $0 + $1.spawnSeconds }
        return [
            "children": Double(children),
            "spawn_seconds_mean": children > 0 ? spawn / Double(children) : 0,
            "polls": Double(outcomes.reduce(0) { $0 + $1.polls }),
            "timed_out": Double(outcomes.filter(\.timedOut).count),
            "output_bytes": Double(outcomes.reduce(0) { $0 + $1.outputBytes }),
            "error_bytes": Double(outcomes.reduce(0) { $0 + $1.errorBytes }),
        ]
    }
}

/// The jobs of one batch.
public struct SubprocessBatch: PortableBatch {
    /// `subprocess.batch`.
    public static let batchKind = "subprocess.batch"

    /// Always 0.
    public let phase: Int
    let jobs: [SubprocessWorkload.Job]
    let random: CounterRandom

    /// One unit per job copy.
    public var count: Int { jobs.count }

    /// Job copy `index`, with its own input bytes.
    public func unit(at index: Int) -> SubprocessUnit {
        let job = jobs[index]
        let input: [UInt8]
        switch job.input {
        case .none: input = []
        case .text(let text): input = Array(text.utf8)
        case .randomBytes(let count):
            input = (0..<count).map { UInt8(truncatingIfNeeded: random.bits(0x5B9_0C35, UInt64(index), UInt64($0))) }
        }
        return SubprocessUnit(
            index: index,
            job: job,
            run: ChildJob(
                commands: job.commands,
                input: input,
                timeout: job.timeout,
                grace: job.grace,
                pollInterval: job.pollInterval,
                captureLimit: job.capture
            )
        )
    }
}

/// One job copy: its children run during the unit's wait.
public struct SubprocessUnit: WorkUnit {
    let index: Int
    let job: SubprocessWorkload.Job
    let run: ChildJob
    private var started = false

    init(index: Int, job: SubprocessWorkload.Job, run: ChildJob) {
        self.index = index
        self.job = job
        self.run = run
    }

    /// `batch 0, job 3 (sleep 1)`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: "job \(index) (\(job.name))")
    }

    /// Asks to run the children, then reports how they ended.
    public mutating func advance() -> UnitStep<JobResult> {
        guard started else {
            started = true
            return .wait(.external(step: "subprocess", job: ExternalJob(run)))
        }
        return .finished(JobResult(name: job.name, expected: job.expected, outcome: run.result))
    }
}

/// How one job ended, next to how it should have.
public struct JobResult: Sendable, Codable {
    /// The job's name.
    public var name: String
    /// How every child was expected to end.
    public var expected: ChildProcess.Termination
    /// What happened; `nil` when the job was not run (the reference does not start processes).
    public var outcome: ChildOutcome?

    /// Whether every child ended as expected (a job not run counts as expected).
    public var asExpected: Bool {
        outcome.map { $0.terminations.allSatisfy { $0 == expected } } ?? true
    }
}

extension JobResult: Equatable {
    /// Results agree when both ended as expected: outputs may differ between runs (random salts).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.asExpected == rhs.asExpected
    }
}
