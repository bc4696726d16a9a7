import CLinux
import ConlabToolkit
import Testing

@testable import ConlabIO

#if canImport(Glibc)
import Glibc
#endif

/// The readiness and child reactors' decisions, checked as the pure values they are: no thread, no
/// epoll, no process.
@Suite("The reactors' state machines")
struct ReactorStateMachineTests {
    private typealias Readiness = ReadinessStateMachine<String, Int>
    private typealias Children = ChildStateMachine<String, String>

    @Test("Readiness reported while nobody waits is kept for the next waiter, once")
    func rememberedReadiness() {
        var machine = Readiness()
        let (generation, stale, action) = machine.register(5)
        #expect(stale == nil)
        #expect(action == .startThread, "the thread must run for readiness to be reported")
        let result1 = machine.note(EPOLLIN.rawValue, for: 5, generation: generation)
        #expect(result1 == nil, "nobody waits")
        let result2 = machine.take(.readable, of: 5, generation: generation)
        #expect(result2)
        let result3 = machine.take(.readable, of: 5, generation: generation)
        #expect(!result3, "taken")
        let result4 = machine.take(.writable, of: 5, generation: generation)
        #expect(!result4)
        // The end of the stream is kept: every later read wait returns at once.
        _ = machine.note(EPOLLRDHUP.rawValue, for: 5, generation: generation)
        let result5 = machine.take(.readable, of: 5, generation: generation)
        #expect(result5)
        let result6 = machine.take(.readable, of: 5, generation: generation)
        #expect(result6)
    }

    @Test("A waiter is woken by its event, rings a thread asleep past its deadline, and expires at it")
    func waiting() {
        var machine = Readiness()
        let (generation, _, _) = machine.register(5)
        var expired: [String] = []
        let result7 = machine.prepareToPoll(now: 0, expired: &expired)
        #expect(result7 == .max, "nothing waits: events only")
        let token = machine.token()
        guard
            case .waiting(nil, .ring) = machine.wait(
                for: 5,
                generation: generation,
                .readable,
                until: 1_000,
                token: token,
                cancelled: false,
                continuation: "reader"
            )
        else {
            Issue.record("the waiter must wait, and ring the thread asleep for events only")
            return
        }
        machine.woke()
        let result8 = machine.prepareToPoll(now: 10, expired: &expired)
        #expect(result8 == 1_000)
        let result9 = machine.note(EPOLLOUT.rawValue, for: 5, generation: generation)
        #expect(result9 == nil, "not what it waits for")
        let result10 = machine.note(EPOLLIN.rawValue, for: 5, generation: generation)
        #expect(result10 == "reader")
        machine.woke()

        let late = machine.token()
        _ = machine.wait(
            for: 5,
            generation: generation,
            .readable,
            until: 2_000,
            token: late,
            cancelled: false,
            continuation: "late"
        )
        let result11 = machine.prepareToPoll(now: 2_000, expired: &expired)
        #expect(result11 == nil, "an expired waiter needs the thread")
        #expect(expired == ["late"])
        let result12 = machine.finish(5, token: late)
        #expect(result12 == nil, "resumed once")
    }

    @Test("Cancelled, displaced, stale and ended registrations each resume their waiter once")
    func endings() {
        var machine = Readiness()
        let (first, _, _) = machine.register(5)
        guard
            case .cancelled = machine.wait(
                for: 5,
                generation: first,
                .readable,
                until: .max,
                token: machine.token(),
                cancelled: true,
                continuation: "cancelled"
            )
        else {
            Issue.record("a task cancelled before it waits must not wait")
            return
        }
        let token = machine.token()
        _ = machine.wait(
            for: 5,
            generation: first,
            .readable,
            until: .max,
            token: token,
            cancelled: false,
            continuation: "a"
        )
        guard
            case .waiting("a", _) = machine.wait(
                for: 5,
                generation: first,
                .readable,
                until: .max,
                token: machine.token(),
                cancelled: false,
                continuation: "b"
            )
        else {
            Issue.record("a second waiter displaces the first")
            return
        }
        let result13 = machine.finish(5, token: token)
        #expect(result13 == nil, "a is gone already")
        // The descriptor's number is registered again without the old registration cancelled.
        let (second, stale, _) = machine.register(5)
        #expect(stale == "b")
        let result14 = machine.note(EPOLLIN.rawValue, for: 5, generation: first)
        #expect(result14 == nil, "an old registration's event")
        let result15 = machine.cancel(5, generation: first)
        #expect(result15 == nil, "the old registration is gone")
        _ = machine.wait(
            for: 5,
            generation: second,
            .readable,
            until: .max,
            token: machine.token(),
            cancelled: false,
            continuation: "c"
        )
        let result16 = machine.cancel(5, generation: second)
        #expect(result16 == "c")
        let result17 = machine.take(.readable, of: 5, generation: second)
        #expect(result17, "an ended registration returns at once")
        #expect(machine.isIdle)
    }

    @Test("A child job is started by the thread; its task's cancellation resumes it at once or asks for a kill")
    func childJobs() {
        var machine = Children()
        guard case .cancelled = machine.submit("never", id: 1, taskCancelled: true, continuation: "t1") else {
            Issue.record("a cancelled task starts nothing")
            return
        }
        guard case .queued(.startThread) = machine.submit("job2", id: 2, taskCancelled: false, continuation: "t2")
        else {
            Issue.record("the first job starts the thread")
            return
        }
        _ = machine.submit("job3", id: 3, taskCancelled: false, continuation: "t3")
        guard case .resume("t3") = machine.cancel(3) else {
            Issue.record("a job not yet started is dropped and its task resumed")
            return
        }
        var arrived: [Children.Arrival] = []
        var kill: [UInt64] = []
        let result18 = machine.beginRound(arrived: &arrived, kill: &kill)
        #expect(result18 == nil)
        #expect(arrived.map(\.job) == ["job2"])
        #expect(kill.isEmpty)
        let result19 = machine.prepareToSleep()
        #expect(result19)
        guard case .kill(.ring) = machine.cancel(2) else {
            Issue.record("a running job is killed by the thread, which sleeps")
            return
        }
        guard case .none = machine.cancel(2) else {
            Issue.record("once")
            return
        }
        let result20 = machine.prepareToSleep()
        #expect(!result20, "a kill is pending")
        machine.woke()
        arrived.removeAll()
        _ = machine.beginRound(arrived: &arrived, kill: &kill)
        #expect(kill == [2])
        let finished = machine.finish(2)
        #expect(finished?.continuation == "t2")
        #expect(finished?.cancelled == true)
        let result21 = machine.finish(2)
        #expect(result21 == nil)
        #expect(machine.isIdle)
    }

    @Test("A child reactor's round starts at most the jobs asked for; the rest wait, still cancellable")
    func childJobsInTurn() {
        var machine = Children()
        for id in UInt64(1)...5 { _ = machine.submit("job\(id)", id: id, taskCancelled: false, continuation: "t\(id)") }
        var arrived: [Children.Arrival] = []
        var kill: [UInt64] = []
        _ = machine.beginRound(arrived: &arrived, kill: &kill, startingAtMost: 2)
        #expect(arrived.map(\.job) == ["job1", "job2"])
        let sleeps = machine.prepareToSleep()
        #expect(!sleeps, "jobs are still to start: poll without blocking")
        guard case .resume("t4") = machine.cancel(4) else {
            Issue.record("a job left for a later round has not started: its task is resumed at once")
            return
        }
        arrived.removeAll()
        _ = machine.beginRound(arrived: &arrived, kill: &kill, startingAtMost: 2)
        #expect(arrived.map(\.job) == ["job3", "job5"])
        let sleepsNow = machine.prepareToSleep()
        #expect(sleepsNow)
        for id in [UInt64(1), 2, 3, 5] { #expect(machine.finish(id)?.continuation == "t\(id)") }
        #expect(machine.isIdle)
    }

    @Test("A child reactor that cannot start its thread fails every task waiting for it")
    func childFailedStart() {
        var machine = Children()
        _ = machine.submit("a", id: 1, taskCancelled: false, continuation: "t1")
        _ = machine.submit("b", id: 2, taskCancelled: false, continuation: "t2")
        let result22 = machine.failedToStart()
        #expect(Set(result22) == ["t1", "t2"])
        #expect(machine.isIdle)
    }
}
