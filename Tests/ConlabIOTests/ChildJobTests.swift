import ConlabCore
import ConlabIO
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Testing

/// Real child processes: pipes, timeouts, signals, reaping.
@Suite("Child jobs")
struct ChildJobTests {
    private func run(_ job: ChildJob) async throws -> ChildOutcome {
        try await OSThread.run(name: "child-job-test") { _ in try job.run() }
    }

    @Test("stdin in, stdout captured and hashed, exit status reported")
    func roundTrip() async throws {
        let outcome = try await run(
            ChildJob(commands: [ChildCommand(arguments: ["cat"])], input: Array("hello\n".utf8))
        )
        #expect(outcome.terminations == [.exited(0)])
        #expect(outcome.outputHead == "hello\n")
        #expect(outcome.outputBytes == 6)
        #expect(outcome.outputSHA256 == SHA256.hexDigest(of: "hello\n"))
    }

    @Test("Environment added, replaced, working folder and an explicit shell")
    func environmentAndShell() async throws {
        let added = try await run(
            ChildJob(commands: [
                ChildCommand(arguments: ["sh", "-c", "echo $GREETING-$HOME"], environment: ["GREETING": "hi"])
            ])
        )
        #expect(added.outputHead.hasPrefix("hi-/"))
        let replaced = try await run(
            ChildJob(commands: [
                ChildCommand(
                    arguments: ["/bin/sh", "-c", "echo [$HOME]"],
                    environment: ["X": "1"],
                    replacesEnvironment: true
                )
            ])
        )
        #expect(replaced.outputHead == "[]\n")
        let folder = try await run(ChildJob(commands: [ChildCommand(arguments: ["pwd"], directory: "/tmp")]))
        #expect(folder.outputHead == "/tmp\n")
        let shell = try await run(ChildJob(commands: [ChildCommand(arguments: ["echo a b | wc -w"], shell: true)]))
        #expect(shell.outputHead.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }

    @Test("A chain's digest equals openssl dgst run directly on what its encryptor produced")
    func pipeline() async throws {
        // A deterministic encryptor (explicit key and IV, no salt), so the direct run can be compared.
        let encrypt = [
            "openssl", "enc", "-aes-256-cbc", "-K", String(repeating: "ab", count: 32), "-iv",
            String(repeating: "cd", count: 16),
        ]
        let input = Array((0..<100).map { UInt8($0) })
        let chained = try await run(
            ChildJob(
                commands: [
                    ChildCommand(arguments: encrypt),
                    ChildCommand(arguments: ["openssl", "dgst", "-sha256", "-binary"]),
                ],
                input: input
            )
        )
        #expect(chained.terminations == [.exited(0), .exited(0)])
        // The direct run: the encryptor's bytes (read by Foundation, not by the code under test) hashed.
        let direct = try await run(
            ChildJob(
                commands: [ChildCommand(arguments: ["openssl", "dgst", "-sha256", "-binary"])],
                input: try encryptedBytes(encrypt, input)
            )
        )
        #expect(chained.outputBytes == 32)
        #expect(chained.outputSHA256 == direct.outputSHA256)
    }

    /// The encryptor's raw output, read by Foundation rather than by the code under test.
    private func encryptedBytes(_ command: [String], _ input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    @Test("A timeout ends the child with SIGTERM; one that ignores SIGTERM is killed after the grace")
    func timeouts() async throws {
        // How fast is checked end to end, in a process of its own (SubprocessCommandTests.timeout): here,
        // tests running beside this one can delay the awaiting task by seconds.
        let polite = try await run(
            ChildJob(commands: [ChildCommand(arguments: ["sleep", "10"])], timeout: .milliseconds(100))
        )
        #expect(polite.terminations == [.signalled(SIGTERM)])
        #expect(polite.timedOut)
        let stubborn = try await run(
            ChildJob(
                commands: [ChildCommand(arguments: ["sh", "-c", "trap '' TERM; sleep 10"])],
                timeout: .milliseconds(100),
                grace: .milliseconds(200)
            )
        )
        #expect(stubborn.terminations == [.signalled(SIGKILL)])
        #expect(stubborn.timedOut)
    }

    @Test("Output beyond the capture limit is hashed and counted, not kept")
    func captureLimit() async throws {
        let outcome = try await run(
            ChildJob(commands: [ChildCommand(arguments: ["head", "-c", "100000", "/dev/zero"])], captureLimit: 10)
        )
        #expect(outcome.outputBytes == 100_000)
        #expect(outcome.outputHead.utf8.count == 10)
        #expect(outcome.outputSHA256 == SHA256.hexDigest(of: [UInt8](repeating: 0, count: 100_000)))
        let errors = try await run(
            ChildJob(commands: [ChildCommand(arguments: ["sh", "-c", "echo oops-and-more >&2"])], captureLimit: 4)
        )
        #expect(errors.errorHead == "oops")
        #expect(errors.errorBytes == 14)
    }

    @Test("The reactor runs many jobs at once from async code, on one thread of its own")
    func reactor() async throws {
        let outcomes = try await withThrowingTaskGroup(of: ChildOutcome.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await TestServices.shared.children.run(
                        ChildJob(commands: [ChildCommand(arguments: ["sh", "-c", "sleep 0.2; echo \(index)"])])
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 20)
        #expect(outcomes.allSatisfy { $0.terminations == [.exited(0)] })
        #expect(Set(outcomes.map(\.outputHead)) == Set((0..<20).map { "\($0)\n" }))
    }

    @Test("A task cancelled while its job runs throws at once, its children killed and reaped")
    func reactorCancellation() async throws {
        let reactor = try ChildReactor(threadName: "test-cancel")
        let marker = (name: "CONLAB_TEST_CANCEL", value: String(UInt32.random(in: 0...UInt32.max)))
        let job = ChildJob(commands: [
            ChildCommand(arguments: ["sleep", "600"], environment: [marker.name: marker.value]),
            ChildCommand(arguments: ["cat"], environment: [marker.name: marker.value]),
        ])
        let running = Task { try await reactor.run(job) }
        var children: [Int32] = []
        for _ in 0..<6000 where children.count < 2 {
            try await Task.sleep(for: .milliseconds(5))
            children = ProcessTable.processes(withEnvironment: "\(marker.name)=\(marker.value)")
        }
        try #require(children.count == 2, "both children started")
        let cancelled = ContinuousClock.now
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        // About 50 ms (a poll of the reactor's); the bound only has to tell "killed" from "ran out its 600 s",
        // and a loaded machine took 1.8 s once.
        #expect(ContinuousClock.now - cancelled < TimingAllowance.scaled(.seconds(10)))
        #expect(children.allSatisfy { ProcessTable.state(of: $0) == nil }, "killed and reaped")

        // Cancelled before it is handed in: nothing starts.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await reactor.run(ChildJob(commands: [ChildCommand(arguments: ["sleep", "600"])]))
        }
        await #expect(throws: CancellationError.self) { try await late.value }
    }

    @Test("A reader that dies sends SIGPIPE up the chain")
    func sigpipe() async throws {
        let outcome = try await run(
            ChildJob(commands: [ChildCommand(arguments: ["yes"]), ChildCommand(arguments: ["head", "-c", "10"])])
        )
        #expect(outcome.terminations == [.signalled(SIGPIPE), .exited(0)])
        #expect(outcome.outputBytes == 10)
    }

    @Test("A missing program is a spawn error naming it, and leaves nothing behind")
    func missingProgram() async throws {
        await #expect(throws: ChildProcess.SpawnError.self) {
            _ = try await run(ChildJob(commands: [ChildCommand(arguments: ["conlab-no-such-program"])]))
        }
    }

    @Test("A child gets only its own descriptors: a pipe the parent opened without close-on-exec is not held open")
    func onlyItsOwnDescriptors() throws {
        // Foundation's Pipe opens its ends without O_CLOEXEC. A child spawned meanwhile by another thread kept
        // the write end, and a test reading that pipe to its end waited for that child (a deadlock in the suite).
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let child = try ChildProcess.spawn("/bin/sleep", arguments: ["30"])
        defer {
            child.kill(SIGKILL)
            _ = child.wait()
        }
        close(ends[1])
        defer { close(ends[0]) }
        var reader = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        // The end is seen at once when no child holds the write end; 5 s is only a bound against a hang.
        #expect(poll(&reader, 1, 5_000) == 1)
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 0, "the child still holds the pipe's write end")
    }

    @Test("1000 spawns leave no zombie and no open descriptor")
    func hygiene() async throws {
        // The pipes a job opens, which a leak would leave: other suites running meanwhile hold their event
        // loops' eventfds, epolls and timerfds and their sockets by the dozen (nio's groups three a loop),
        // which counting every descriptor mistook for a leak.
        func descriptors() -> Int {
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return open.filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)"))?.hasPrefix("pipe:")
                    == true
            }.count
        }
        func zombies() -> Int { ProcessTable.children().filter { $0.state == "Z" }.count }
        let before = (descriptors(), zombies())
        try await OSThread.run(name: "spawn-1000") { _ in
            for _ in 0..<1000 {
                _ = try ChildJob(commands: [ChildCommand(arguments: ["true"])], input: [1]).run()
            }
        }
        // Other tests open pipes and briefly leave zombies of their own; a leak here would be at least one
        // pipe end per spawn (a thousand), so an allowance of 200 still catches any.
        #expect(descriptors() < before.0 + 200, "descriptors: \(before.0) → \(descriptors())")
        #expect(zombies() < before.1 + 200, "zombies: \(before.1) → \(zombies())")
    }

    @Test("The spawning thread takes its children's SIGCHLD, so no other thread is woken to drop it")
    func childSignalAccepted() async throws {
        // A dispatch worker, and every thread started from one, blocks almost every signal. The kernel
        // drops an ignored SIGCHLD only when the parent thread does not block it.
        let masks = try await OSThread.run(name: "blocked-spawner") { _ in
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            let outcome = try ChildJob(commands: [ChildCommand(arguments: ["true"])]).run()
            var after = sigset_t()
            pthread_sigmask(SIG_BLOCK, nil, &after)
            return (outcome, sigismember(&after, SIGCHLD), sigismember(&after, SIGUSR1))
        }
        #expect(masks.0.terminations == [.exited(0)])
        #expect(masks.1 == 0, "SIGCHLD is still blocked in the thread that spawned")
        #expect(masks.2 == 1, "only SIGCHLD is unblocked; the rest of the mask is the thread's own")
    }
}
