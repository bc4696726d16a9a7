/// A workload's states seen as grids of cells (Life's generations), for the log's pictures of them
/// (`reference_frames`): their size and number first, so that a reader can decide how many to draw before
/// any grid is rendered — a million-cell grid never is.
public struct StateGrids {
    /// Rows of every grid.
    public var rows: Int
    /// Columns of every grid.
    public var columns: Int
    /// How many states there are.
    public var count: Int
    /// The rows of state `index` (from 0 to ``count`` − 1), top to bottom: `*` for a live cell, `-` for an
    /// empty one.
    public var render: (Int) -> [String]

    /// Creates the grids.
    public init(rows: Int, columns: Int, count: Int, render: @escaping (Int) -> [String]) {
        self.rows = rows
        self.columns = columns
        self.count = count
        self.render = render
    }
}
