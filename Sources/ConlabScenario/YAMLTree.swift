/// A YAML document held as flat arrays: 16 bytes per node plus the bytes of its scalars.
///
/// Yams' `Node` tree costs about 61 times the size of the file (an enum case, a `String`, a `Tag` and a `Mark`
/// per node, and an array per list), so an 8 MiB `cells` list took half a gigabyte before a value was read.
/// This tree keeps the same facts — kind, text, tag, style, line and column — in ``records`` and
/// ``scalarBytes``, built straight from libyaml's events (`YAMLTree+Parsing.swift`).
///
/// Parsed nodes are stored in document order, each container followed by its whole subtree, so a container's
/// children are found by skipping from one child's subtree to the next: no child lists at all. Nodes added by
/// `--set` (`YAMLTree+Editing.swift`) are appended after them, and their containers list their children in
/// ``builtChildren``. Readers see nodes through ``YAMLNode``, which follows aliases to their anchored node.
final class YAMLTree {
    /// What a record is.
    enum Kind: UInt32 {
        /// A scalar: `first` is the offset of its text in ``scalarBytes``, `second` its length in bytes.
        case scalar = 0
        /// A list: `first` is how many items it has, `second` the index past its subtree (or, when built, the
        /// index of its children in ``builtChildren``).
        case sequence = 1
        /// A mapping, stored as a list of keys and values in turn: `first` counts both.
        case mapping = 2
        /// An alias: `first` is the index of the anchored node it stands for.
        case alias = 3
    }

    /// One node in 16 bytes; `packed` holds the column (24 bits) and the flags below.
    struct Record {
        var first: UInt32
        var second: UInt32
        /// The line of the node's start, from 1; 0 for a node given on the command line.
        var line: UInt32
        var packed: UInt32
    }

    // The layout of `Record.packed`. 24 bits of column are enough: a scenario file has at most 8 MiB.
    static let columnMask: UInt32 = (1 << 24) - 1
    static let kindShift: UInt32 = 24
    static let styleShift: UInt32 = 26
    /// A quoted scalar without a tag: Yams gives it the `str` tag.
    static let quotedImplicitFlag: UInt32 = 1 << 29
    /// A container made by `--set`: its children are listed in ``builtChildren``. (Bit 29 means this for a
    /// container, ``quotedImplicitFlag`` for a scalar.)
    static let builtFlag: UInt32 = 1 << 29
    /// The node's tag is in ``tags``.
    static let taggedFlag: UInt32 = 1 << 30
    /// A scalar used as a mapping key. Yams' composer hashed every key to look for duplicates, and hashing
    /// resolved its tag for good (Yams' `Tag` is a class), so a plain key `~`, `null` or empty is null to the
    /// readers while the same value elsewhere is text.
    static let keyFlag: UInt32 = 1 << 31

    /// The tag that makes a scalar null to the readers, as Yams' unresolved `Tag.Name.null`.
    static let nullTag = "tag:yaml.org,2002:null"

    /// Every node, parsed ones in document order.
    var records: [Record] = []
    /// The text of every scalar, one after another.
    var scalarBytes: [UInt8] = []
    /// Explicit tags (`!!str`, `!foo`), by node index: rare, so kept apart from the records.
    var tags: [UInt32: String] = [:]
    /// The children of containers made by `--set`.
    var builtChildren: [[UInt32]] = []
    /// The document's root node, or `nil` for an empty stream.
    var root: UInt32?

    /// Room for a file of `bytes` bytes: reserved address space costs no memory until it is written, and
    /// growing an array by doubling would, for a moment, hold two copies of it.
    init(reservingFor bytes: Int) {
        records.reserveCapacity(bytes / 2 + 16)
        scalarBytes.reserveCapacity(bytes / 2 + 16)
    }

    // MARK: Reading records

    func kind(_ index: UInt32) -> Kind {
        Kind(rawValue: (records[Int(index)].packed >> Self.kindShift) & 3)!
    }

    /// Whether a container was made by `--set`; only asked of containers.
    func isBuilt(_ index: UInt32) -> Bool { records[Int(index)].packed & Self.builtFlag != 0 }

    /// Whether a scalar is null to the readers, as Yams' tags made it: an explicit `!!null` tag, or a plain
    /// untagged key whose text YAML resolves to null.
    func isNull(_ index: UInt32) -> Bool {
        let packed = records[Int(index)].packed
        if packed & Self.taggedFlag != 0 { return tags[index] == Self.nullTag }
        guard packed & Self.keyFlag != 0, packed & Self.quotedImplicitFlag == 0 else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text(index))
    }

    /// The node an index stands for: an alias's anchored node, any other node itself.
    func resolved(_ index: UInt32) -> UInt32 {
        kind(index) == .alias ? records[Int(index)].first : index
    }

    /// The index past `index`'s subtree: where its next sibling starts.
    func end(_ index: UInt32) -> UInt32 {
        switch kind(index) {
        case .scalar, .alias: index + 1
        case .sequence, .mapping: isBuilt(index) ? index + 1 : records[Int(index)].second
        }
    }

    /// The scalar's text, as libyaml gave it.
    func text(_ index: UInt32) -> String {
        let record = records[Int(index)]
        let start = Int(record.first)
        return String(decoding: scalarBytes[start..<(start + Int(record.second))], as: UTF8.self)
    }

    /// The explicit tag of a node, `nil` when it has none (a quoted scalar's implicit `str` included).
    func tag(_ index: UInt32) -> String? {
        records[Int(index)].packed & Self.taggedFlag != 0 ? tags[index] : nil
    }

    /// libyaml's `yaml_scalar_style_t`: 0 any, 1 plain, 2 single-quoted, 3 double-quoted, 4 literal, 5 folded.
    func style(_ index: UInt32) -> UInt32 { (records[Int(index)].packed >> Self.styleShift) & 7 }

    /// Line and column (from 1) of the node's start; `nil` for a node given on the command line.
    func mark(_ index: UInt32) -> (line: Int, column: Int)? {
        let record = records[Int(index)]
        guard record.line > 0 else { return nil }
        return (Int(record.line), Int(record.packed & Self.columnMask))
    }

    /// How many children a container has (keys and values both, for a mapping).
    func childCount(_ index: UInt32) -> Int {
        isBuilt(index) ? builtChildren[Int(records[Int(index)].second)].count : Int(records[Int(index)].first)
    }

    // MARK: Writing records

    static func packed(kind: Kind, column: Int, style: UInt32 = 0, flags: UInt32 = 0) -> UInt32 {
        UInt32(min(max(column, 0), Int(columnMask))) | (kind.rawValue << kindShift) | ((style & 7) << styleShift)
            | flags
    }

    /// Appends a record and returns its index.
    func append(_ record: Record) -> UInt32 {
        records.append(record)
        return UInt32(records.count - 1)
    }

    /// Appends a scalar with the given text and returns its index.
    func appendScalar(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, packed: UInt32) -> UInt32 {
        let offset = UInt32(scalarBytes.count)
        scalarBytes.append(contentsOf: bytes)
        return append(Record(first: offset, second: UInt32(bytes.count), line: UInt32(line), packed: packed))
    }
}
