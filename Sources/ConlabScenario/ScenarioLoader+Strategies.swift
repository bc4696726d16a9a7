import ConlabCore

/// Reading a scenario's `strategies` list: names and aliases looked up in the registry, each entry's
/// options turned into typed values the strategy checks against its declarations, and strategies refused
/// when they cannot run the workload's shape.
extension ScenarioLoader {
    /// The strategies of `node`, each built from its options and checked against `workload`'s traits;
    /// `nil` when any entry has an issue (all of them are reported).
    func readStrategies(
        _ node: YAMLNode,
        reader: NodeReader,
        workload: (any ScenarioWorkload)?
    ) -> [StrategySpec]? {
        let form = "a list of strategy names, e.g. [serial, async], or entries like 'pool: { max_workers: 10 }'"
        guard let items = reader.sequence(node, "strategies", form: form) else { return nil }
        if items.isEmpty {
            reader.report(node, "strategies", "expected at least one strategy, found an empty list")
            return nil
        }
        var specs: [StrategySpec] = []
        for (index, item) in items.enumerated() {
            let path = "strategies.\(index)"
            var nameNode = item
            var options = StrategyOptions(location: reader.location(of: item, path: path))
            if item.kind == .mapping {
                guard item.count == 1, let (key, value) = item.pairs.first else {
                    reader.expected(item, path, "a strategy name, or one key (the name) with a mapping of options")
                    continue
                }
                nameNode = key
                guard let optionMapping = reader.mapping(value, "\(path).\(key.string ?? "")") else { continue }
                var entries: [String: StrategyOptions.Entry] = [:]
                for option in optionMapping.keys {
                    let valueNode = optionMapping.optional(option)!
                    guard let text = reader.scalarText(valueNode) else {
                        reader.expected(valueNode, optionMapping.path(option), "a plain value")
                        continue
                    }
                    entries[option] = .init(
                        value: Self.optionValue(text, node: valueNode),
                        location: reader.location(of: valueNode, path: optionMapping.path(option))
                    )
                }
                options = StrategyOptions(entries, location: options.location)
            }
            guard let name = reader.scalarText(nameNode) else {
                reader.expected(nameNode, path, "a strategy name")
                continue
            }
            let type: any Strategy.Type
            let optionHelp: [OptionHelp]
            if let registered = registry.strategy(named: name) {
                type = registered
                optionHelp = registered.optionHelp
            } else if let preset = registry.preset(named: name) {
                type = preset.strategy
                optionHelp = preset.optionHelp
                // The name stands for its fixed options, written where the name is.
                var entries = options.entries
                var clash = false
                for (key, value) in preset.options.sorted(by: { $0.key < $1.key }) {
                    if let written = entries[key] {
                        reader.append(
                            ScenarioIssue(
                                location: written.location,
                                path: "\(path).\(name).\(key)",
                                message: "'\(name)' sets '\(key)' itself; remove it here"
                            )
                        )
                        clash = true
                    }
                    entries[key] = .init(value: value, location: reader.location(of: nameNode, path: path))
                }
                if clash { continue }
                options = StrategyOptions(entries, location: options.location)
            } else {
                reader.report(
                    nameNode,
                    path,
                    "unknown strategy \(NodeReader.quoted(name)); expected one of "
                        + registry.allNames.joined(separator: ", ")
                )
                continue
            }
            if let workload, let refusal = type.refusal(of: workload.traits, kind: workload.kind) {
                reader.report(nameNode, path, refusal)
                continue
            }
            do {
                specs.append(
                    StrategySpec(
                        strategy: try type.init(options: options),
                        location: reader.location(of: nameNode, path: path)
                    )
                )
            } catch {
                reader.append(
                    ScenarioIssue(
                        location: error.location,
                        path: "\(path).\(name).\(error.key)",
                        message: error.isUnknownKey
                            ? "unknown option '\(error.key)' for strategy '\(name)'" + Self.optionList(optionHelp)
                            : "expected \(error.expected)"
                    )
                )
            }
        }
        return specs.count == items.count ? specs : nil
    }

    private static func optionList(_ optionHelp: [OptionHelp]) -> String {
        optionHelp.isEmpty
            ? "; it takes no options"
            : "; expected one of " + optionHelp.map { "'\($0.key)'" }.joined(separator: ", ")
    }

    private static func optionValue(_ text: String, node: YAMLNode) -> OptionValue {
        if node.kind == .scalar, node.isPlain {
            if let integer = Int(text) { return .integer(integer) }
            if let number = Double(text) { return .number(number) }
            if text == "true" || text == "false" { return .bool(text == "true") }
        }
        return .string(text)
    }
}
