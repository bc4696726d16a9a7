import ConlabCore
import ConlabToolkit
import Synchronization
import Testing

@Suite("BlockingQueue")
struct BlockingQueueTests {
    @Test("Elements come out in order, then nil once closed and drained")
    func fifoAndClose() async throws {
        let queue = BlockingQueue<Int>()
        for value in 0..<5 { queue.putUnbounded(value) }
        queue.close()
        let drained = try await OSThread.run(name: "drain") { _ in
            var values: [Int] = []
            while let value = queue.get() { values.append(value) }
            return values
        }
        #expect(drained == [0, 1, 2, 3, 4])
        #expect(queue.maximumDepth == 5)
    }

    @Test("Many consumers: every element is delivered exactly once and every consumer stops at close")
    func consumers() async throws {
        let queue = BlockingQueue<Int>()
        let seen = Mutex<[Int]>([])
        let threads = try (0..<4).map { number in
            try OSThread.spawn(name: "consumer-\(number)") {
                while let value = queue.get() { seen.withLock { $0.append(value) } }
            }
        }
        for value in 0..<10_000 { queue.putUnbounded(value) }
        queue.close()
        try await OSThread.run(name: "join") { _ in for thread in threads { thread.join() } }
        #expect(seen.withLock { $0.sorted() } == Array(0..<10_000))
    }

    @Test("A bounded queue never holds more than its capacity and blocks producers until there is room")
    func bounded() async throws {
        let queue = BlockingQueue<Int>(capacity: 1)
        let producer = try OSThread.spawn(name: "producer") {
            for value in 0..<200 { queue.put(value) }
            queue.close()
        }
        let received = try await OSThread.run(name: "consumer") { _ in
            var values: [Int] = []
            while let value = queue.get() {
                values.append(value)
                BlockingSleep.sleep(for: .microseconds(50))
            }
            return values
        }
        try await OSThread.run(name: "join") { _ in producer.join() }
        #expect(received == Array(0..<200))
        #expect(queue.maximumDepth == 1)
    }
}
