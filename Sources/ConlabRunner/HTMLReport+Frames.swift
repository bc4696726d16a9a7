import ConlabCore
import ConlabLog
import Foundation

extension HTMLReport {
    /// The workload itself: each grid the log kept of the serial reference (`reference_frames`) as a small
    /// picture, a filled square per live cell on an outlined board, captioned in words with its generation
    /// and its live cells; then what the log left out. Nothing for a workload whose states are not grids.
    static func framePictures(_ frames: ReferenceFrames, setting: String? = nil) -> String {
        var html = "<h3>The workload: the reference's grids</h3>\n"
        html += "<p class=\"meta\">\(frames.rows)×\(frames.columns) cells"
        if let setting { html += ", at \(escaped(setting))" }
        html += "; a filled square is a live cell.</p>\n"
        if !frames.frames.isEmpty {
            html += "<div class=\"frames\">\n"
            for frame in frames.frames { html += picture(frame, rows: frames.rows, columns: frames.columns) }
            html += "</div>\n"
        }
        if let leftOut = frames.leftOut { html += "<p class=\"meta\">Left out of the log: \(escaped(leftOut)).</p>\n" }
        return html
    }

    /// One grid: the board in cell units, scaled so that the largest grid kept (64×64) is 192 px across and
    /// a glider's cells are 10 px; live cells as one path of unit squares.
    private static func picture(_ frame: ReferenceFrames.Frame, rows: Int, columns: Int) -> String {
        let cell = min(10, max(3, 192 / max(rows, columns, 1)))
        let live = frame.liveCells
        var path = ""
        for (y, row) in frame.rows.enumerated() {
            for (x, byte) in row.utf8.enumerated() where byte == UInt8(ascii: "*") { path += "M\(x) \(y)h1v1h-1z" }
        }
        let caption = "generation \(frame.generation): \(live) live cell\(live == 1 ? "" : "s")"
        var svg = "<figure class=\"frame\">"
        svg +=
            #"<svg class="cells" role="img" xmlns="http://www.w3.org/2000/svg" width="\#(columns * cell)" height="\#(rows * cell)" viewBox="0 0 \#(columns) \#(rows)">"#
        svg += "<title>\(caption)</title>"
        svg += #"<rect class="board" x="0" y="0" width="\#(columns)" height="\#(rows)"/>"#
        if !path.isEmpty { svg += #"<path class="live" d="\#(path)"/>"# }
        svg += "</svg><figcaption>\(caption)</figcaption></figure>\n"
        return svg
    }
}
