import ConlabCore

/// A share of a generation's cells for an event loop: ``SlabStorage``'s steps compiled for ``LifeCell``.
///
/// The generic slab steps each cell through the cell type's metadata; this one, written for the one type,
/// lets the compiler inline the cell's step into the loop's calls. Callgrind, 90,000 cells on two loops
/// (instructions of a loop thread a cell, its start and its resumption): 1,600 generic, 1,190 with this slab,
/// a non-copyable storage and the loop's kept duration.
final class LifeSlab: UnitSlab {
    private let storage: SlabStorage<LifeGeneration>

    init(batch: LifeGeneration, first: Int, count: Int) {
        storage = SlabStorage(batch: batch, first: first, count: count)
    }

    func start(_ slot: Int) throws(UnitFailure) -> Wait? { try storage.start(slot) }
    func resume(_ slot: Int) throws(UnitFailure) -> Wait? { try storage.resume(slot) }
    func coordinates(of slot: Int) -> UnitCoordinates { storage.coordinates(of: slot) }
    func outputs() -> [Bool] { storage.outputs() }
}
