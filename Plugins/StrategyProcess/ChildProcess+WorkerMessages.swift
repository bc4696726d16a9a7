import ConlabIO

/// Talking to a worker process over its pipes, one length-prefixed message at a time.
extension ChildProcess {
    @available(*, noasync)
    func send(_ message: WorkerMessage) -> Bool { message.write(to: input) }

    @available(*, noasync)
    func receive() -> WorkerMessage? { WorkerMessage.read(from: output) }
}
