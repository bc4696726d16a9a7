/// A batch that a program in another language can run whole: the phase crosses a pipe once, as one JSON
/// object, and its results come back as one JSON value (the strategy protocol, `docs/strategy-protocol.md`).
///
/// A phase, not its units, crosses the pipe: a message per unit would cost more than a million-cell
/// generation's own work. The program derives every draw from the seed and the documented counter-based
/// generator, so it waits exactly what conlab's own strategies wait; conlab keeps the clock and checks the
/// outputs it reads back against the serial reference.
///
/// Contract: ``externalWork()`` describes the whole phase in the form the protocol documents for
/// ``externalKind``; ``outputs(fromExternal:)`` accepts exactly the results that form defines (one output per
/// unit, in unit order) and rejects anything else with a message saying what was expected.
public protocol ExternalBatch: UnitBatch {
    /// The work kind the protocol names, e.g. `life.generation`.
    static var externalKind: String { get }

    /// The phase's work as the text of one JSON object, in the form the protocol documents for its kind.
    func externalWork() -> String

    /// The most bytes the phase's `results` can take beyond twice the work's own size, so that a program that
    /// writes without end is stopped while a long answer is read whole. Default: nothing beyond (a Life
    /// generation's results are a byte a cell, no larger than its work).
    var externalResultsAllowance: Int { get }

    /// The units' outputs, in unit order, from the `results` a program answered; throws a message saying what
    /// is wrong with them.
    func outputs(fromExternal results: ExternalValue) throws(ExternalResultError) -> [Unit.Output]
}

extension ExternalBatch {
    /// Results no larger than twice the work.
    public var externalResultsAllowance: Int { 0 }
}
