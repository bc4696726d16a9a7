import ConlabCore
import NIOCore

/// What a unit parked on a scheduled callback leaves in its loop's timer heap: its share, its slot and its
/// deadline. NIO boxes it, with the loop its isolated API binds it to, as the task's one allocation; a
/// scheduled task adds a promise and its closures to that.
struct NIOResumeCallback<Batch: UnitBatch>: NIOScheduledCallbackHandler {
    let share: NIOPhaseShare<Batch>
    let slot: Int
    let due: Int64

    func handleScheduledCallback(eventLoop: some EventLoop) {
        share.resume(slot, due: due)
    }
}
