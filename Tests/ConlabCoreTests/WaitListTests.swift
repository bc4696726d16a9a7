import ConlabCore
import ConlabTestSupport
import Testing

@Suite("A phase's waits, kept compactly")
struct WaitListTests {
    @Test("Alike waits are one run, whatever their number, and read back as every unit's wait")
    func alike() {
        var profile = PhaseProfile()
        for _ in 0..<20_000 {
            profile.startUnit()
            profile.record(step: "count_neighbors", duration: .milliseconds(10))
            profile.record(step: "game_logic", duration: .milliseconds(90))
        }
        profile.finish()
        #expect(profile.count == 20_000)
        #expect(profile.totals.uniformWait == .milliseconds(100))
        #expect(profile.stepWaits["game_logic"]?.uniformWait == .milliseconds(90))
        #expect(profile.totals[19_999] == .milliseconds(100))
        #expect(profile.totals.total == .seconds(2_000))
        #expect(profile.totals.longest == .milliseconds(100))
        // The closed form agrees with list scheduling: ⌈20,000 / 3⌉ waits of 100 ms on the busiest worker.
        #expect(IdealSchedule.makespan(of: profile.totals, workers: 3) == .milliseconds(100) * 6_667)
        #expect(IdealSchedule.makespan(of: profile.totals, workers: nil) == .milliseconds(100))
        #expect(IdealSchedule.flowShop(profile, workers: nil) == .milliseconds(100))
    }

    @Test("Waits that differ are spelled out from the first that differs, in order")
    func unlike() {
        let waits: [Duration] = [.milliseconds(5), .milliseconds(5), .milliseconds(7), .milliseconds(5), .zero]
        let list = WaitList(waits)
        #expect(Array(list) == waits)
        #expect(list.uniformWait == nil)
        #expect(list.total == .milliseconds(22))
        #expect(list.longest == .milliseconds(7))
        for workers in 1...6 {
            #expect(
                IdealSchedule.makespan(of: list, workers: workers)
                    == IdealSchedule.makespan(of: waits, workers: workers)
            )
        }
    }

    @Test("A unit recorded step by step rejoins the run when it waited alike; equal lists are equal")
    func recording() {
        var list = WaitList()
        for _ in 0..<3 {
            list.append(.zero)
            list.addToLast(.milliseconds(1))
            list.addToLast(.milliseconds(2))
        }
        #expect(list == WaitList(repeating: .milliseconds(3), count: 3))
        #expect(list.hashValue == WaitList(repeating: .milliseconds(3), count: 3).hashValue)
        list.append(.milliseconds(4))
        #expect(list != WaitList(repeating: .milliseconds(3), count: 4))
        #expect(Array(list) == [.milliseconds(3), .milliseconds(3), .milliseconds(3), .milliseconds(4)])
        #expect(WaitList().uniformWait == nil && WaitList().longest == .zero && WaitList().total == .zero)
    }

    @Test("Recorded at random, step by step, it reads back as a plain array of the same waits", arguments: 0..<20)
    func againstAnArray(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var list = WaitList()
        var model: [Duration] = []
        // Few distinct waits, so that runs form, break and form again.
        let waits: [Duration] = [.zero, .milliseconds(1), .milliseconds(2)]
        for _ in 0..<200 {
            if model.isEmpty || random.next() % 3 == 0 {
                let wait = waits[Int(random.next() % 3)]
                list.append(wait)
                model.append(wait)
            } else {
                let wait = waits[Int(random.next() % 3)]
                list.addToLast(wait)
                model[model.count - 1] += wait
            }
            #expect(list.count == model.count)
            #expect(list.last == model.last)
        }
        #expect(Array(list) == model)
        #expect(list == WaitList(model))
        #expect(list.total == model.reduce(.zero, +))
        #expect(list.longest == model.max())
        #expect(list.uniformWait == (Set(model).count == 1 ? model.first : nil))
        var profile = PhaseProfile()
        for wait in model {
            profile.startUnit()
            profile.record(step: "wait", duration: wait)
        }
        profile.finish()
        #expect(Array(profile.totals) == model)
        #expect(Array(profile.stepWaits["wait"] ?? WaitList()) == model)
    }

    @Test("One unit, and units alike but the last, keep their uniform wait right")
    func edges() {
        var one = WaitList()
        one.append(.zero)
        one.addToLast(.milliseconds(5))
        #expect(one.uniformWait == .milliseconds(5) && one.count == 1 && one.total == .milliseconds(5))
        var list = WaitList(repeating: .milliseconds(5), count: 3)
        list.append(.milliseconds(5))
        #expect(list.uniformWait == .milliseconds(5))
        list.addToLast(.milliseconds(1))
        #expect(list.uniformWait == nil && list.longest == .milliseconds(6) && list.count == 4)
        #expect(list != WaitList(repeating: .milliseconds(5), count: 4))
    }
}
