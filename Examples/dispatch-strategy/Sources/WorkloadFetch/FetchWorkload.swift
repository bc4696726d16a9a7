import ConlabCore
public import ConlabLatency
public import ConlabScenario
import ConlabToolkit

/// A crawler's rounds: every round fetches each of `pages` pages once, each fetch a modelled I/O call, and
/// what a page holds depends on what it held the round before, so a unit run twice, skipped or fed the wrong
/// page shows in the digest.
public struct FetchWorkload: PhasedWorkload {
    /// Pages fetched each round.
    public let pages: Int
    /// How many rounds.
    public let rounds: Int
    /// How a fetch behaves.
    public let io: IOModel
    /// The source of every draw.
    public let random: CounterRandom

    /// Creates a workload.
    public init(pages: Int, rounds: Int, io: IOModel, random: CounterRandom) {
        self.pages = pages
        self.rounds = rounds
        self.io = io
        self.random = random
    }

    /// One phase per round.
    public var phaseCount: Int { rounds }
    /// `round`.
    public var phaseName: String { "round" }
    /// What each page holds before the first round, drawn from the seed.
    public var initialState: [UInt64] { (0..<pages).map { random.bits(0xFE7C, UInt64($0)) } }

    /// Every page, fetched from what it held.
    public func batch(phase: Int, from state: [UInt64]) -> FetchBatch {
        FetchBatch(phase: phase, contents: state, io: io, random: random)
    }

    /// The pages as fetched, in page order.
    public func state(after batch: FetchBatch, outputs: [UInt64]) -> [UInt64] { outputs }

    /// SHA-256 of the pages, one per line in hexadecimal.
    public func digest(of state: [UInt64]) -> String {
        SHA256.hexDigest(of: state.map { String($0, radix: 16) + "\n" }.joined())
    }

    /// How many pages differ from the reference's.
    public func mismatch(_ state: [UInt64], expected: [UInt64]) -> String? {
        "\(zip(state, expected).filter { $0 != $1 }.count) of \(pages) pages differ from the serial reference"
    }
}
