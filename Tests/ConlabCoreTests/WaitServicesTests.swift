import ConlabCore
import ConlabToolkit
import Synchronization
import Testing

/// A timer that waits no time at all and notes every wait it is asked for.
private final class RecordingTimer: WaitTimer {
    let asked = Mutex<[Duration]>([])
    let interrupted: Bool

    init(interrupted: Bool = false) {
        self.interrupted = interrupted
    }

    func sleepBlocking(for duration: Duration) -> Bool {
        asked.withLock { $0.append(duration) }
        return !interrupted
    }

    func sleep(for duration: Duration) async throws {
        asked.withLock { $0.append(duration) }
    }
}

/// A service a test injects.
private struct Marker: Sendable {
    let name: String
}

/// External work that notes the marker it finds among the services it is handed.
private final class MarkerProbe: ExternalWork {
    let found = Mutex<[String]>([])

    func performBlocking(using services: WaitServices) throws {
        let marker = try services.require(Marker.self)
        found.withLock { $0.append(marker.name) }
    }

    func performSuspending(using services: WaitServices) async throws {
        let marker = try services.require(Marker.self)
        found.withLock { $0.append(marker.name) }
    }

    func performInstantly() {}
}

/// A unit that asks for `waits`, in order, then outputs how many it asked for.
private struct Waiter: WorkUnit {
    let waits: [Wait]
    var done = 0

    var coordinates: UnitCoordinates { UnitCoordinates(phase: 0, index: 0, phaseName: "phase", name: "unit 0") }

    mutating func advance() -> UnitStep<Int> {
        guard done < waits.count else { return .finished(done) }
        done += 1
        return .wait(waits[done - 1])
    }
}

@Suite("Waits performed with the services the runner injects")
struct WaitServicesTests {
    private static let tenSeconds = Wait.io(
        step: "io",
        draw: IODraw(latency: .seconds(10), duration: .seconds(10), outcome: .completed)
    )

    @Test("Modelled waits are timed by the injected timer, blocking and suspending alike")
    func modelledWaitsUseTheTimer() async throws {
        let timer = RecordingTimer()
        let services = WaitServices(timer: timer)
        let unit = Waiter(waits: [Self.tenSeconds, Self.tenSeconds])
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try Self.runBlocking(unit, services) == 2)
        #expect(try await unit.runSuspending(using: services, reportingTo: nil) == 2)
        #expect(timer.asked.withLock { $0 } == Array(repeating: .seconds(10), count: 4))
        // Twenty seconds of modelled waits each way, none of them real.
        #expect(clock.now - started < .seconds(5))
    }

    @Test("A blocking wait the timer cuts short fails the unit as interrupted")
    func interruptedTimerFailsTheUnit() {
        let unit = Waiter(waits: [Self.tenSeconds])
        let expected = UnitFailure(coordinates: unit.coordinates, step: "io", reason: .error("interrupted"))
        #expect(throws: expected) { try Self.runBlocking(unit, WaitServices(timer: RecordingTimer(interrupted: true))) }
    }

    @Test("External work finds the services injected, and a missing one fails the unit naming it")
    func externalWorkFindsItsServices() async throws {
        let probe = MarkerProbe()
        let unit = Waiter(waits: [.external(step: "probe", job: ExternalJob(probe))])
        let services = WaitServices(timer: RecordingTimer(), services: [Marker(name: "injected")])
        #expect(try Self.runBlocking(unit, services) == 1)
        #expect(try await unit.runSuspending(using: services, reportingTo: nil) == 1)
        #expect(probe.found.withLock { $0 } == ["injected", "injected"])

        let bare = WaitServices(timer: RecordingTimer())
        let expected = UnitFailure(
            coordinates: unit.coordinates,
            step: "probe",
            reason: .error("no Marker among the wait services")
        )
        #expect(throws: expected) { try Self.runBlocking(unit, bare) }
        await #expect(throws: expected) { try await unit.runSuspending(using: bare, reportingTo: nil) }
    }

    /// Runs `unit` blocking; the timer returns at once, so no thread is held up.
    private static func runBlocking(_ unit: Waiter, _ services: WaitServices) throws(UnitFailure) -> Int {
        try unit.runBlocking(using: services, reportingTo: nil)
    }
}
