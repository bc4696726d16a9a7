public import ConlabCore
import ConlabLatency

/// One round of fetches. Portable: the process strategy sends it to its workers, which decode it because the
/// workload lists it (``FetchWorkload/portableBatches``) and the executable registers the workload.
public struct FetchBatch: PortableBatch {
    /// `fetch.round`.
    public static let batchKind = "fetch.round"

    /// The round, from 0.
    public let phase: Int
    let contents: [UInt64]
    let io: IOModel
    let random: CounterRandom

    /// One fetch per page.
    public var count: Int { contents.count }

    /// The fetch of page `index`.
    public func unit(at index: Int) -> FetchUnit {
        FetchUnit(round: phase, page: index, content: contents[index], io: io, random: random)
    }
}

/// One page's fetch: waits for the modelled call, then computes what the page now holds.
public struct FetchUnit: WorkUnit {
    let round: Int
    let page: Int
    let content: UInt64
    let io: IOModel
    let random: CounterRandom
    private var fetched = false

    init(round: Int, page: Int, content: UInt64, io: IOModel, random: CounterRandom) {
        self.round = round
        self.page = page
        self.content = content
        self.io = io
        self.random = random
    }

    /// `round r, page p`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: round, index: page, phaseName: "round", name: "page \(page)")
    }

    /// Asks for the fetch, then answers with the page's new content.
    public mutating func advance() -> UnitStep<UInt64> {
        guard fetched else {
            fetched = true
            return .wait(.io(step: "fetch", draw: io.draw(random, UInt64(round), UInt64(page), 0)))
        }
        return .finished(random.bits(content, UInt64(round), UInt64(page)))
    }
}
