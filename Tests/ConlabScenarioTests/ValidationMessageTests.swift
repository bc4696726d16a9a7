import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Foundation
import Testing

/// Every problem is one line, `file:line:column: key.path: message`, pointing at the bad byte or key.
@Suite("Validation messages")
struct ValidationMessageTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    private func problems(_ bytes: [UInt8], name: String = "x.yaml") throws -> String {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        let error = try #require(throws: ScenarioError.self) { try loader.load(file: file.path) }
        return error.description.replacingOccurrences(of: folder.url.path + "/", with: "")
    }

    @Test("Invalid UTF-8 is reported at the bad byte")
    func invalidUTF8() throws {
        let text = try problems(Array("name: x\ndescription: ab".utf8) + [0xFF] + Array("c\n".utf8))
        #expect(text == "x.yaml:2:16: the file is not UTF-8 text: byte 0xFF is not valid UTF-8 here")
    }

    @Test("A control character is reported at its position")
    func controlCharacter() throws {
        let text = try problems(Array("name: x\ndescription: a\u{1}b\n".utf8))
        #expect(text == "x.yaml:2:15: invalid YAML text: control characters are not allowed (U+0001)")
    }

    @Test("A control character after multi-byte characters is placed by characters, not bytes")
    func controlCharacterAfterMultibyteText() throws {
        // '—' is three bytes: Yams turned libyaml's byte offset into a count of characters, read again as bytes,
        // which placed the character two columns early.
        let text = try problems(Array("name: x\ndescription: — a\u{1}b\n".utf8))
        #expect(text == "x.yaml:2:17: invalid YAML text: control characters are not allowed (U+0001)")
    }

    @Test("A repeated list used as a key is placed where it repeats")
    func duplicateListKey() throws {
        let text = try problems(Array("name: x\nworkload: {? [a]: 1, ? [a]: 2}\n".utf8))
        #expect(text == "x.yaml:2:24: invalid YAML: a list or mapping used as a key appears twice in the same mapping")
    }

    @Test("A plain key ~, null or empty is no key; an alias stands for its anchored node")
    func nullKeysAndAliases() throws {
        let yaml = """
            name: &n x
            workload: {kind: cpu, task: gcd, numbers: [[1, 2]], ~: 1}
            strategies: [serial]
            description: *n
            """
        let error = try #require(throws: ScenarioError.self) { try loader.load(yaml: yaml, file: "x.yaml") }
        #expect(error.description == "x.yaml:2:53: workload: expected a plain key, found nothing (null)")
        let scenario = try loader.load(
            yaml: "name: &n x\ndescription: *n\n"
                + yaml.split(separator: "\n")[1...2].joined(separator: "\n").replacingOccurrences(
                    of: ", ~: 1",
                    with: ""
                ),
            file: "x.yaml"
        )
        #expect(scenario.description == "x")
    }

    @Test("A duplicate key is reported where it is repeated")
    func duplicate() throws {
        let text = try problems(Array("name: x\nworkload:\n  kind: life\n  rows: 5\n  rows: 6\n".utf8))
        #expect(text == "x.yaml:5:3: invalid YAML: duplicate key 'rows' in the same mapping")
    }

    @Test("A duplicate key after carriage returns (found by the fuzzer: it trapped) is placed as libyaml counts lines")
    func duplicateAfterCarriageReturns() throws {
        let text = try problems(Array("name: x\r\r\rname: y\r".utf8))
        #expect(text == "x.yaml:4:1: invalid YAML: duplicate key 'name' in the same mapping")
    }

    @Test("Echoed values are escaped onto one line and cut to 80 characters")
    func echoes() throws {
        let long = String(repeating: "z", count: 100_000)
        let text = try problems(
            Array("name: \"a\\nb\"\nworkload: { kind: \"\(long)\" }\nstrategies: [serial]\n".utf8)
        )
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "\(text.prefix(300))")
        #expect(lines[0].hasSuffix("found 'a\\nb'"))
        #expect(lines[1].hasSuffix("found '\(String(repeating: "z", count: 80))…' (100000 characters)"))
    }

    @Test("Deep nesting is named without libyaml's internals")
    func nesting() throws {
        let text = try problems(Array(("a: " + String(repeating: "[", count: 5000)).utf8))
        #expect(text.contains("nested too deeply"))
        #expect(!text.contains("yaml_"))
    }

    @Test("A loop of symbolic links says so")
    func symlinkLoop() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let one = folder.url.appendingPathComponent("one.yaml").path
        let two = folder.url.appendingPathComponent("two.yaml").path
        try FileManager.default.createSymbolicLink(atPath: one, withDestinationPath: two)
        try FileManager.default.createSymbolicLink(atPath: two, withDestinationPath: one)
        let error = try #require(throws: ScenarioError.self) { try loader.load(file: one) }
        #expect(error.description == "\(one): the path is a loop of symbolic links")
    }

    @Test("A file over the maximum size is refused before it is read")
    func tooLarge() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("big.yaml")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(ScenarioLoader.maximumFileBytes + 1))
        try handle.close()
        let clock = ContinuousClock()
        let started = clock.now
        let error = try #require(throws: ScenarioError.self) { try loader.load(file: file.path) }
        #expect(clock.now - started < .seconds(1))
        #expect(error.description.hasSuffix("the file has 8388609 bytes; a scenario has at most 8388608 (8 MiB)"))
    }
}
