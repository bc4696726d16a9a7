import ConlabConformance
import ConlabCore
import StrategyDispatch
import Testing

@Suite("The dispatch strategy")
struct DispatchStrategyTests {
    @Test("It passes conlab's conformance kit", arguments: [1, 8])
    func conforms(width: Int) async throws {
        let options = StrategyOptions(["width": .init(value: .integer(width), location: .unknown)])
        let problems = await StrategyConformance.problems(of: try DispatchStrategy(options: options))
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("Its width is checked with the place it was written, and shows in the label")
    func options() throws {
        let place = SourceLocation(file: "s.yaml", line: 3, column: 14)
        #expect(throws: OptionError.self) {
            try DispatchStrategy(options: StrategyOptions(["width": .init(value: .integer(0), location: place)]))
        }
        #expect(try DispatchStrategy(options: StrategyOptions()).label == "dispatch(width: 8)")
    }
}
