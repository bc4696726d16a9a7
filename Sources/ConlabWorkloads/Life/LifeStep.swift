/// The steps of a cell's update that can wait on I/O, as the seed names its functions.
public enum LifeStep: String, Sendable, Hashable, Codable, CaseIterable {
    /// Counting the live neighbours (item 58's second, phased stage).
    case countNeighbors = "count_neighbors"
    /// Deciding the next state (items 56–60).
    case gameLogic = "game_logic"

    /// The counter word that keys this step's latency draws.
    var drawKey: UInt64 {
        switch self {
        case .countNeighbors: 0
        case .gameLogic: 1
        }
    }
}
