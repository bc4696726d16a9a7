import Testing

@testable import ConlabToolkit

/// The decisions every timer and reactor shares, and the task timer's own, checked as the pure values
/// they are: no thread, no clock, no continuation.
@Suite("The reactor core and the timer's state machine")
struct ReactorCoreTests {
    private typealias Core = ReactorCore<Int, String>

    @Test("The first arrival starts the thread; later ones ring it only when it sleeps past their deadline")
    func wakeDecisions() {
        var core = Core()
        let result1 = core.arrive(dueBy: 100)
        #expect(result1 == .startThread)
        let result2 = core.arrive(dueBy: 50)
        #expect(result2 == .none, "starting: it looks before it sleeps")
        core.started("thread")
        core.sleep(until: 100)
        let result3 = core.arrive(dueBy: 150)
        #expect(result3 == .none, "it wakes before that anyway")
        let result4 = core.arrive(dueBy: 100)
        #expect(result4 == .none)
        let result5 = core.arrive(dueBy: 99)
        #expect(result5 == .ring)
        let result6 = core.arrive(dueBy: 10)
        #expect(result6 == .none, "rung already: one ring is enough")
        core.woke()
        let result7 = core.arrive(dueBy: 10)
        #expect(result7 == .none, "awake: it looks again before it sleeps")
        core.sleep(until: .max)
        let result8 = core.enqueue(7)
        #expect(result8 == .ring, "a job is due at once")
    }

    @Test("The thread takes the jobs queued, in order, by swapping buffers")
    func jobs() {
        var core = Core()
        _ = core.enqueue(1)
        _ = core.enqueue(2)
        var buffer: [Int] = []
        core.takeJobs(into: &buffer)
        #expect(buffer == [1, 2])
        #expect(!core.hasJobs)
        buffer.removeAll(keepingCapacity: true)
        core.takeJobs(into: &buffer)
        #expect(buffer.isEmpty)
    }

    @Test("A thread that cannot start leaves no thread and hands back the jobs it would have run")
    func failedStart() {
        var core = Core()
        let result9 = core.enqueue(1)
        #expect(result9 == .startThread)
        _ = core.enqueue(2)
        let result10 = core.failedToStart()
        #expect(result10 == [1, 2])
        #expect(core.activity == .stopped)
        let result11 = core.arrive(dueBy: 0)
        #expect(result11 == .startThread, "the next arrival tries again")
    }

    @Test("Retirement: refused with no thread, while awake, while busy or with jobs; granted asleep and idle")
    func retirement() {
        var core = Core()
        let result12 = core.requestRetirement(ThreadRetirement(), idle: true)
        #expect(result12 == nil, "no thread")
        _ = core.arrive(dueBy: 0)
        core.started("thread")
        let result13 = core.requestRetirement(ThreadRetirement(), idle: true)
        #expect(result13 == nil, "awake")
        core.sleep(until: .max)
        let result14 = core.requestRetirement(ThreadRetirement(), idle: false)
        #expect(result14 == nil, "its owner has waiters")
        let result15 = core.requestRetirement(ThreadRetirement(), idle: true)
        #expect(result15 == "thread")
        #expect(core.activity == .rung, "the caller rings it")

        // A job that slipped in before the thread looked: it answers, and stays.
        _ = core.enqueue(1)
        let answer = core.takeRetirement(idle: true)
        #expect(answer?.retiring == false)
        #expect(core.thread == "thread")

        var buffer: [Int] = []
        core.takeJobs(into: &buffer)
        core.sleep(until: .max)
        let result16 = core.requestRetirement(ThreadRetirement(), idle: true)
        #expect(result16 == "thread")
        let result17 = core.takeRetirement(idle: true)
        #expect(result17?.retiring == true)
        #expect(core.thread == nil)
        #expect(core.activity == .stopped)
        let result18 = core.takeRetirement(idle: true)
        #expect(result18 == nil, "answered once")
        let result19 = core.arrive(dueBy: 0)
        #expect(result19 == .startThread, "the next arrival starts a new thread")
    }

    @Test("The timer resumes the waiters due in deadline order, sleeps until the next, and skips cancelled ones")
    func timerRounds() {
        var timer = TimerStateMachine<String, Int>()
        let result20 = timer.add("late", id: 1, until: 300)
        #expect(result20 == .startThread)
        let result21 = timer.add("early", id: 2, until: 100)
        #expect(result21 == .none)
        let result22 = timer.add("middle", id: 3, until: 200)
        #expect(result22 == .none)
        let result23 = timer.add("gone", id: 4, until: 150)
        #expect(result23 == .none)
        let result24 = timer.cancel(4)
        #expect(result24 == "gone")
        let result25 = timer.cancel(4)
        #expect(result25 == nil, "once")

        var due: [String] = []
        var jobs: [Int] = []
        guard case .run = timer.nextRound(now: 250, due: &due, jobs: &jobs) else {
            Issue.record("two waiters were due")
            return
        }
        #expect(due == ["early", "middle"])
        due.removeAll()
        guard case .sleep(let until, _) = timer.nextRound(now: 250, due: &due, jobs: &jobs) else {
            Issue.record("nothing was due")
            return
        }
        #expect(until == 300)
        let result26 = timer.add("sooner", id: 5, until: 260)
        #expect(result26 == .ring)
        timer.woke()
        let result27 = timer.enqueue(9)
        #expect(result27 == .none, "awake")
        guard case .run = timer.nextRound(now: 400, due: &due, jobs: &jobs) else {
            Issue.record("waiters and a job were due")
            return
        }
        #expect(due == ["sooner", "late"])
        #expect(jobs == [9])
        due.removeAll()
        jobs.removeAll()
        guard case .sleep(let forever, _) = timer.nextRound(now: 400, due: &due, jobs: &jobs) else {
            Issue.record("nothing was due")
            return
        }
        #expect(forever == .max)
        #expect(timer.isIdle)
    }

    @Test("A group's waits are due in deadline order among the others, and cancelled together")
    func timerGroupedWaits() {
        var timer = TimerStateMachine<String, Int>()
        _ = timer.add("alone", id: 1, until: 200)
        _ = timer.add("g1-early", group: 7, until: 100)
        _ = timer.add("g2", group: 8, until: 150)
        _ = timer.add("g1-late", group: 7, until: 300)
        _ = timer.add("g1-later", group: 7, until: 400)
        var due: [String] = []
        var jobs: [Int] = []
        _ = timer.nextRound(now: 220, due: &due, jobs: &jobs)
        #expect(due == ["g1-early", "g2", "alone"])
        due.removeAll()
        // Group 7's two left are taken back; another group's number is not a wait's id.
        #expect(timer.cancel(group: 8) == [])
        #expect(Set(timer.cancel(group: 7)) == ["g1-late", "g1-later"])
        #expect(timer.cancel(group: 7) == [], "once")
        #expect(timer.isIdle)
        guard case .sleep(let until, _) = timer.nextRound(now: 500, due: &due, jobs: &jobs) else {
            Issue.record("nothing was due")
            return
        }
        #expect(due.isEmpty)
        #expect(until == .max)
        // A grouped wait keeps the timer from idling, and a thread that cannot start hands it back.
        _ = timer.add("g3", group: 9, until: 50)
        #expect(!timer.isIdle)
        #expect(timer.failedToStart().waiters == ["g3"])
        #expect(timer.isIdle)
    }

    @Test("A timer spins toward the next deadline only when that wait asked to be woken precisely")
    func timerSpinsOnlyForPreciseWaits() {
        var timer = TimerStateMachine<String, Int>()
        _ = timer.add("probe", id: 1, until: 100, precisely: false)
        _ = timer.add("cell", id: 2, until: 200)
        _ = timer.add("grouped", group: 5, until: 300)
        var due: [String] = []
        var resumed: [String] = []
        var jobs: [Int] = []
        var rounds: [Bool] = []
        for now: Int64 in [50, 150, 250, 350] {
            switch timer.nextRound(now: now, due: &due, jobs: &jobs) {
            case .run:
                resumed += due
                due.removeAll()
                guard case .sleep(_, let spinning) = timer.nextRound(now: now, due: &due, jobs: &jobs) else {
                    Issue.record("nothing else was due at \(now)")
                    return
                }
                rounds.append(spinning)
            case .sleep(_, let spinning): rounds.append(spinning)
            case .answer: Issue.record("no retirement was asked")
            }
            timer.woke()
        }
        // Toward the probe: no spin; toward the cell and the grouped wait: spins; with nothing left: none.
        #expect(rounds == [false, true, true, false])
        #expect(resumed == ["probe", "cell", "grouped"])
        // The coarse wait is cancelled by the id it was given.
        _ = timer.add("probe-2", id: 3, until: 400, precisely: false)
        #expect(timer.cancel(3) == "probe-2")
    }

    @Test("A coarse deadline just before a precise one does not make the timer sleep past the precise one's margin")
    func timerSpinsPastANearbyCoarseDeadline() {
        // A probe and a unit re-armed in the same round with the same period: the probe's deadline comes first.
        var timer = TimerStateMachine<String, Int>(spinMargin: 300)
        _ = timer.add("probe", id: 1, until: 1_000, precisely: false)
        _ = timer.add("cell", id: 2, until: 1_010)
        var due: [String] = []
        var jobs: [Int] = []
        guard case .sleep(let until, let spinning) = timer.nextRound(now: 0, due: &due, jobs: &jobs) else {
            Issue.record("nothing was due")
            return
        }
        #expect(until == 1_010)
        #expect(spinning)
        timer.woke()
        // A coarse deadline well before the margin begins is slept to in the kernel.
        _ = timer.add("early-probe", id: 3, until: 500, precisely: false)
        guard case .sleep(let next, let spins) = timer.nextRound(now: 0, due: &due, jobs: &jobs) else {
            Issue.record("nothing was due")
            return
        }
        #expect(next == 500)
        #expect(!spins)
    }

    @Test("A timer that cannot start its thread hands back every waiter and job")
    func timerFailedStart() {
        var timer = TimerStateMachine<String, Int>()
        let result28 = timer.add("a", id: 1, until: 5)
        #expect(result28 == .startThread)
        _ = timer.enqueue(3)
        let (waiters, jobs) = timer.failedToStart()
        #expect(waiters == ["a"])
        #expect(jobs == [3])
        #expect(timer.isIdle)
    }

    @Test("A timer retires only asleep with no waiter left; a stale heap entry does not keep it")
    func timerRetirement() throws {
        var timer = TimerStateMachine<String, Int>()
        _ = timer.add("a", id: 1, until: 5)
        _ = timer.add("b", id: 2, until: 500)
        // A thread handle to hold: one that has ended already.
        let thread = try OSThread.spawn(name: "test-handle") {}
        timer.started(thread)
        var due: [String] = []
        var jobs: [Int] = []
        _ = timer.nextRound(now: 10, due: &due, jobs: &jobs)
        #expect(due == ["a"])
        due.removeAll()
        _ = timer.nextRound(now: 10, due: &due, jobs: &jobs)
        let result29 = timer.requestRetirement(ThreadRetirement())
        #expect(result29 == nil, "b waits")
        timer.woke()
        let result30 = timer.cancel(2)
        #expect(result30 == "b")
        _ = timer.nextRound(now: 10, due: &due, jobs: &jobs)
        let result31 = timer.requestRetirement(ThreadRetirement())
        #expect(result31 != nil)
        guard case .answer(_, let retiring) = timer.nextRound(now: 10, due: &due, jobs: &jobs) else {
            Issue.record("the thread must answer the request first")
            return
        }
        #expect(retiring)
        thread.join()
    }
}
