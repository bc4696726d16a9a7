public import ConlabCore

extension CPUBatch: ExternalBatch {
    /// `cpu.batch`, as for worker processes.
    public static var externalKind: String { batchKind }

    /// `{"tasks":[{"factorize":N} | {"gcd":[A,B]}, ...],"rounds":R}`: unit `i` computes task `i % tasks`, so
    /// the phase has `tasks × rounds` units, round 0 of every task first. The tasks cross once, not once per
    /// unit: a program computes every unit itself, as conlab's strategies do.
    public func externalWork() -> String {
        let tasks = tasks.map { task in
            switch task {
            case .factorize(let number): #"{"factorize":\#(number)}"#
            case .gcd(let a, let b): #"{"gcd":[\#(a),\#(b)]}"#
            }
        }
        return #"{"tasks":[\#(tasks.joined(separator: ","))],"rounds":\#(rounds)}"#
    }

    /// Every unit's longest result: a number up to 10⁹ has at most 1,344 divisors, each at most 10 digits and a
    /// comma; a gcd is one number of at most 19 digits.
    public var externalResultsAllowance: Int {
        let perRound = tasks.reduce(0) { total, task in
            switch task {
            case .factorize: total + 1_344 * 11 + 3
            case .gcd: total + 22
            }
        }
        return perRound * rounds
    }

    /// Each unit's result, from an array of `tasks × rounds` arrays of whole numbers, in unit order.
    public func outputs(fromExternal value: ExternalValue) throws(ExternalResultError) -> [[Int]] {
        guard case .array(let units) = value else {
            throw ExternalResultError(
                "results are \(value.described); a batch's results are an array of \(count) arrays of whole numbers"
            )
        }
        guard units.count == count else {
            throw ExternalResultError(
                "results hold \(units.count) units; a batch of \(tasks.count) tasks × \(rounds) rounds has \(count)"
            )
        }
        var outputs: [[Int]] = []
        outputs.reserveCapacity(count)
        for (index, unit) in units.enumerated() {
            guard case .array(let numbers) = unit else {
                throw ExternalResultError("unit \(index)'s result is \(unit.described), not an array of whole numbers")
            }
            var output: [Int] = []
            output.reserveCapacity(numbers.count)
            for number in numbers {
                guard let whole = number.intValue else {
                    throw ExternalResultError(
                        "unit \(index)'s result holds \(number.described), not a whole number from 0"
                    )
                }
                output.append(whole)
            }
            outputs.append(output)
        }
        return outputs
    }
}
