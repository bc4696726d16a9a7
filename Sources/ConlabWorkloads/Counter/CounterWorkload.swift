public import ConlabCore
public import ConlabScenario
import ConlabToolkit
import Synchronization

/// Item 54's racy counter: `workers` units each add 1 to one shared counter `increments` times.
///
/// With `sync: none` the increment is the seed's `count += 1` taken apart — a read, then a separate write
/// of the incremented value — so concurrent workers lose updates. The race is contained: the counter is a
/// cell of its own, read and written only through atomic loads and stores, so what is lost is counts,
/// never memory safety; only the read-modify-write as a whole is unprotected. `lock` wraps the increment
/// in a `Mutex`, `atomic` makes it one atomic add, and `actor` sends every increment to an actor that runs
/// the very read-then-write of `none`, made safe because the actor runs one increment at a time; all three
/// must be exact.
public struct CounterWorkload: PhasedWorkload {
    /// How the shared counter is protected.
    public enum Sync: String, Sendable, Hashable, Codable, CaseIterable {
        /// Not at all: a read, then a write (lost updates are the lesson).
        case none
        /// A `Mutex` around the read-modify-write (the seed's `LockingCounter`).
        case lock
        /// One atomic read-modify-write.
        case atomic
        /// Each increment a message to an actor (`await counter.increment()`), which runs one at a time.
        case actor
    }

    /// Concurrent workers, one unit each.
    public let workers: Int
    /// Increments per worker.
    public let increments: Int
    /// How the counter is protected.
    public let sync: Sync

    /// Creates a workload.
    public init(workers: Int, increments: Int, sync: Sync) {
        self.workers = workers
        self.increments = increments
        self.sync = sync
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `batch`.
    public var phaseName: String { "batch" }
    /// Nothing counted yet.
    public var initialState: CounterTally { CounterTally(expected: 0, found: 0, racy: sync == .none) }

    /// The workers, sharing a fresh counter.
    public func batch(phase: Int, from state: CounterTally) -> CounterBatch {
        CounterBatch(phase: phase, workers: workers, increments: increments, sync: sync, counter: SharedCounter())
    }

    /// One phase of workers that never wait, or — with `sync: actor` — wait once each for the actor, a
    /// wait that counts as zero: known without a single increment.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        guard sync == .actor else { return PlannedProfiles([.withoutWaits(units: workers)]) }
        return PlannedProfiles([PlannedPhase(units: workers, steps: ["increment"], waits: .each([.zero]))])
    }

    /// What the workers did, and what the counter says.
    public func state(after batch: CounterBatch, outputs: [Int]) -> CounterTally {
        CounterTally(expected: outputs.reduce(0, +), found: batch.counter.value, racy: sync == .none)
    }

    /// SHA-256 of the expected count (the found count of a racy run is a measurement, not a result).
    public func digest(of state: CounterTally) -> String {
        SHA256.hexDigest(of: "\(state.expected)\n")
    }

    /// Expected, found and lost updates.
    public func figures(of state: CounterTally) -> [String: Double] {
        ["expected": Double(state.expected), "found": Double(state.found), "lost_updates": Double(state.lostUpdates)]
    }
}

/// The outcome of a counter run: what the workers added, and what the counter holds.
public struct CounterTally: Sendable, Codable, CustomStringConvertible {
    /// The increments the workers performed.
    public var expected: Int
    /// The counter's final value.
    public var found: Int
    /// Whether the counter was unprotected, so `found` may fall short.
    public var racy: Bool

    /// Creates a tally.
    public init(expected: Int, found: Int, racy: Bool) {
        self.expected = expected
        self.found = found
        self.racy = racy
    }

    /// Updates lost to the race.
    public var lostUpdates: Int { expected - found }

    /// `500000 expected, 285627 found`.
    public var description: String { "\(expected) expected, \(found) found" }
}

extension CounterTally: Equatable {
    /// Equal work, and — unless the counter was left unprotected on purpose — an exact count.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.expected == rhs.expected && lhs.racy == rhs.racy && (lhs.racy || lhs.found == rhs.found)
    }
}

/// The shared counter of one batch, in all four protections.
public final class SharedCounter: Sendable {
    private let cell = Atomic<Int>(0)
    private let locked = Mutex(0)
    /// The counter of `sync: actor`.
    let isolated = CounterActor()

    /// A counter at zero.
    public init() {}

    /// Adds 1 under `sync`.
    @inline(__always)
    func increment(_ sync: CounterWorkload.Sync) {
        switch sync {
        case .none:
            // The seed's getattr / add / setattr: another worker may write between the two.
            let value = cell.load(ordering: .relaxed)
            cell.store(value &+ 1, ordering: .relaxed)
        case .lock:
            locked.withLock { $0 += 1 }
        case .atomic:
            cell.wrappingAdd(1, ordering: .relaxed)
        case .actor:
            // Only the serial reference gets here (see `ActorIncrements.performInstantly`).
            isolated.incrementFromReference()
        }
    }

    /// The count.
    public var value: Int { cell.load(ordering: .relaxed) + locked.withLock { $0 } + isolated.value }
}

/// The counter of `sync: actor`: `increment()` is the racy read-then-write of `sync: none`, made exact
/// because the actor runs its methods one at a time.
public actor CounterActor {
    // Read from outside only once the workers are done; an atomic so that read is well defined.
    private nonisolated let cell = Atomic<Int>(0)

    /// A counter at zero.
    public init() {}

    /// Adds 1: a read, then a separate write — safe only because of the actor's isolation.
    public func increment() {
        let value = cell.load(ordering: .relaxed)
        cell.store(value &+ 1, ordering: .relaxed)
    }

    /// The serial reference's increment: no concurrency, so no isolation needed.
    nonisolated func incrementFromReference() {
        cell.wrappingAdd(1, ordering: .relaxed)
    }

    /// The count.
    public nonisolated var value: Int { cell.load(ordering: .relaxed) }
}

/// One worker's increments sent to the ``CounterActor``, one message each.
///
/// A task awaits each increment; a thread cannot await, so it hands its increments to a task and blocks
/// until they are done — the bridge Swift code on threads uses to reach an actor.
final class ActorIncrements: ExternalWork {
    let counter: SharedCounter
    let increments: Int

    init(counter: SharedCounter, increments: Int) {
        self.counter = counter
        self.increments = increments
    }

    func performBlocking(using services: WaitServices) {
        let done = Semaphore()
        Task { [self] in
            await performSuspending(using: services)
            done.signal()
        }
        done.wait()
    }

    func performSuspending(using services: WaitServices) async {
        let actor = counter.isolated
        for _ in 0..<increments { await actor.increment() }
    }

    func performInstantly() {
        for _ in 0..<increments { counter.increment(.actor) }
    }
}

/// The workers of one counter run.
public struct CounterBatch: UnitBatch {
    /// Always 0.
    public let phase: Int
    let workers: Int
    let increments: Int
    let sync: CounterWorkload.Sync
    let counter: SharedCounter

    /// One unit per worker.
    public var count: Int { workers }

    /// Worker `index`.
    public func unit(at index: Int) -> CounterWorker {
        CounterWorker(index: index, increments: increments, sync: sync, counter: counter)
    }
}

/// One worker: `increments` increments of the shared counter (the seed's `worker`).
public struct CounterWorker: WorkUnit {
    let index: Int
    let increments: Int
    let sync: CounterWorkload.Sync
    let counter: SharedCounter
    private var sentToActor = false

    init(index: Int, increments: Int, sync: CounterWorkload.Sync, counter: SharedCounter) {
        self.index = index
        self.increments = increments
        self.sync = sync
        self.counter = counter
    }

    /// `batch 0, worker 3`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: "worker \(index)")
    }

    /// Increments (or, with `sync: actor`, waits while the actor does), then reports how many.
    public mutating func advance() -> UnitStep<Int> {
        if sync == .actor {
            guard sentToActor else {
                sentToActor = true
                let work = ActorIncrements(counter: counter, increments: increments)
                return .wait(.external(step: "increment", job: ExternalJob(work)))
            }
            return .finished(increments)
        }
        for _ in 0..<increments { counter.increment(sync) }
        return .finished(increments)
    }
}
