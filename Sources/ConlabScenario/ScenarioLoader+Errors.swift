import ConlabCore
import Foundation

/// Where a file that is no scenario went wrong, in words and places its author can act on: unreadable files,
/// bytes that are not UTF-8, and libyaml's errors moved to the line and column of their cause.
extension ScenarioLoader {
    /// Why a file could not be read, from the `errno` of `stat` or `open`.
    static func unreadable(errno code: Int32) -> String {
        switch code {
        case ENOENT: "the file does not exist"
        case ELOOP: "the path is a loop of symbolic links"
        case EACCES: "the file cannot be read: permission denied"
        case ENOTDIR: "the file does not exist (a part of its path is not a folder)"
        default: "the file cannot be read: \(String(cString: strerror(code)))"
        }
    }

    /// The line and column (counted in characters, from 1) of the first byte of `data` that is not UTF-8,
    /// and the byte.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int, byte: UInt8) {
        let bytes = [UInt8](data)
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                offset += encoded.count
            case .error(let length):
                _ = length
                return (line, column, bytes[offset])
            case .emptyInput:
                return (line, column, 0)
            }
        }
    }

    /// The lines of `text` as libyaml counts them: broken at CR LF, CR, LF, NEL, LS and PS.
    static func yamlLines(_ text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = [[]]
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\n" where afterCR: continue
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines.append([])
            default: lines[lines.count - 1].append(scalar)
            }
        }
        return lines
    }

    /// The line and column (from 1, in characters) of byte `offset` of `text`.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        let utf8 = text.utf8
        let end = utf8.index(utf8.startIndex, offsetBy: min(max(0, offset), utf8.count))
        let before = yamlLines(String(decoding: utf8[..<end], as: UTF8.self))
        return (before.count, before[before.count - 1].count + 1)
    }

    static func issue(for error: YAMLParseError, file: String, text: String) -> ScenarioIssue {
        func at(_ line: Int, _ column: Int, _ message: String) -> ScenarioIssue {
            ScenarioIssue(location: .init(file: file, line: line, column: column), path: "", message: message)
        }
        switch error {
        case .syntax(let context, let problem, let line, let column):
            // libyaml's advice to its own callers (set_max_nest_level) means nothing to a scenario's author.
            if problem.contains("yaml_set_max_nest_level") || problem.contains("Maximum nesting level") {
                return at(
                    line,
                    column,
                    "invalid YAML: lists and mappings nested too deeply (libyaml allows 1000 levels)"
                )
            }
            return at(line, column, "invalid YAML: " + [context, problem].compactMap { $0 }.joined(separator: ", "))
        case .reader(let problem, let offset, let value):
            let (line, column) = position(ofByte: offset, in: text)
            return at(
                line,
                column,
                "invalid YAML text: \(problem)" + (value >= 0 ? String(format: " (U+%04X)", value) : "")
            )
        case .duplicateKeys(let duplicates, let line, let column) where duplicates.isEmpty:
            return at(line, column, "invalid YAML: a list or mapping used as a key appears twice in the same mapping")
        case .duplicateKeys(let duplicates, let markLine, let markColumn):
            let key = duplicates.sorted().first ?? ""
            let (line, column) =
                duplicatePosition(of: key, afterLine: markLine, column: markColumn, in: text) ?? (markLine, markColumn)
            return at(line, column, "invalid YAML: duplicate key \(NodeReader.quoted(key)) in the same mapping")
        case .memory:
            return at(0, 0, "invalid YAML: libyaml ran out of memory")
        }
    }

    /// Where `key` appears the second time at or after `mark` (the start of its mapping): the duplicate.
    static func duplicatePosition(
        of key: String,
        afterLine markLine: Int,
        column markColumn: Int,
        in text: String
    ) -> (Int, Int)? {
        let lines = yamlLines(text)
        // libyaml's marks count its own line breaks; a mark past the lines found here is not trusted.
        guard markLine >= 1, markLine <= lines.count else { return nil }
        var seen = 0
        for lineIndex in (markLine - 1)..<lines.count {
            let scalars = lines[lineIndex]
            let keyScalars = Array(key.unicodeScalars)
            let first = lineIndex == markLine - 1 ? max(0, markColumn - 1) : 0
            var column = first
            while column + keyScalars.count <= scalars.count {
                let before = column == 0 ? " " : scalars[column - 1]
                if [" ", "{", ",", "\t", "-"].contains(before),
                    Array(scalars[column..<(column + keyScalars.count)]) == keyScalars
                {
                    var after = column + keyScalars.count
                    while after < scalars.count && scalars[after] == " " { after += 1 }
                    if after < scalars.count && scalars[after] == ":" {
                        seen += 1
                        if seen == 2 { return (lineIndex + 1, column + 1) }
                    }
                }
                column += 1
            }
        }
        return nil
    }
}
