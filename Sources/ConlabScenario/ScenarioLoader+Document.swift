import ConlabCore

/// Reading a scenario document: its top-level keys, the workload (whose kind reads the rest of its mapping)
/// and the expectations. The strategies list has a file of its own (`ScenarioLoader+Strategies.swift`).
extension ScenarioLoader {
    /// The scenario the document `root` describes, or `nil` when `reader` collected an issue that stops it.
    func read(
        _ root: YAMLNode,
        reader: NodeReader,
        file: String,
        digest: String,
        seed seedOverride: UInt64?
    )
        -> Scenario?
    {
        guard let document = reader.mapping(root, "") else { return nil }
        let name = document.required("name", form: "a short identifier").flatMap { reader.string($0, "name") }
        let description = document.optional("description").flatMap { reader.string($0, "description") } ?? ""
        let item = document.optional("item").flatMap { reader.integer($0, "item", in: 1...125) }
        // The file's seed is checked even when --seed replaces it: a broken file stays broken.
        let fileSeed = document.optional("seed").flatMap { reader.unsigned($0, "seed") }
        let seed = seedOverride ?? fileSeed ?? 1
        let workload = document.required("workload", form: "a mapping with 'kind' and the workload's fields")
            .flatMap { readWorkload($0, reader: reader, seed: seed) }
        let strategies = document.required("strategies", form: "a list of strategy names")
            .flatMap { readStrategies($0, reader: reader, workload: workload) }
        let expectations =
            document.optional("expect").flatMap { readExpectations($0, reader: reader) } ?? Expectations()
        document.finish()

        if let name, name.isEmpty || name.contains(where: { $0 == "/" || $0.isWhitespace }) {
            reader.report(
                document.optional("name"),
                "name",
                "expected a short identifier without spaces or '/', found \(NodeReader.quoted(name))"
            )
        }
        guard let name, let workload, let strategies else { return nil }
        return Scenario(
            file: file,
            fileSHA256: digest,
            name: name,
            description: description,
            item: item,
            seed: seed,
            workload: workload,
            strategies: strategies,
            expectations: expectations
        )
    }

    /// What `workload.kind` may be, for error messages.
    private var kindForm: String { "one of: " + workloads.kinds.joined(separator: ", ") }

    private func readWorkload(_ node: YAMLNode, reader: NodeReader, seed: UInt64) -> (any ScenarioWorkload)? {
        guard let mapping = reader.mapping(node, "workload") else { return nil }
        guard let kindNode = mapping.required("kind", form: kindForm)
        else {
            return nil
        }
        // The kind's own reader takes the rest of the mapping; the keys it never asked for are reported here.
        guard let kind = reader.scalarText(kindNode), let type = workloads.workload(kind: kind) else {
            reader.expected(kindNode, "workload.kind", kindForm)
            return nil
        }
        let workload = type.read(mapping, reader: reader, seed: seed)
        mapping.finish()
        return workload
    }

    private func readExpectations(_ node: YAMLNode, reader: NodeReader) -> Expectations? {
        guard let mapping = reader.mapping(node, "expect") else { return nil }
        defer { mapping.finish() }
        var expectations = Expectations()
        if let outcome = mapping.optional("outcome") {
            guard let value = reader.choice(outcome, mapping.path("outcome"), as: Expectations.Outcome.self) else {
                return nil
            }
            expectations.outcome = value
        }
        if let digest = mapping.optional("final_grid_sha256") {
            guard let text = reader.scalarText(digest), text.count == 64,
                text.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
            else {
                reader.expected(
                    digest,
                    mapping.path("final_grid_sha256"),
                    "64 lowercase hexadecimal digits (a SHA-256)"
                )
                return nil
            }
            expectations.finalGridSHA256 = text
        }
        return expectations
    }
}
