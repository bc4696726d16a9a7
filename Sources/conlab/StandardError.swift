import Foundation

/// Messages for people that must not mix with data on standard output.
enum StandardError {
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
