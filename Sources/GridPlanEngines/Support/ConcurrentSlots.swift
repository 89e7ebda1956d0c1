import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Results written by parallel workers into their own slots.
public final class ConcurrentSlots<Value: Sendable>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()
    public init(count: Int) { values = Array(repeating: nil, count: count) }
    public func set(_ i: Int, _ v: Value) { lock.lock(); values[i] = v; lock.unlock() }
    public func get(_ i: Int) -> Value? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

final class ConcurrentCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

/// `work` on items 0, 2, 4, … here (`side` 0) and on items 1, 3, 5, … on a second thread
/// (`side` 1), side by side; the results in item order. The caller guarantees what
/// ``sideBySide(_:_:)`` asks (each side its own GEOS context).
func alternatelySideBySide<T>(_ count: Int, _ work: (_ items: [Int], _ side: Int) throws -> [T]) throws -> [T] {
    let sides = [0, 1].map { side in Array(stride(from: side, to: count, by: 2)) }
    let (first, second) = try sideBySide({ try work(sides[0], 0) }, { try work(sides[1], 1) })
    var results = [T?](repeating: nil, count: count)
    for (i, result) in zip(sides[0], first) { results[i] = result }
    for (i, result) in zip(sides[1], second) { results[i] = result }
    return results.map { $0! }
}

/// `body` on every polygonal footprint of `sets` but those `skipping` holds (per set), on two
/// threads with a GEOS context each (`context` for the first, a new one when nil); the results
/// with each footprint's set and index in it, in input order.
func onEachFootprint<T>(
    of sets: [(file: String, buildings: [Building])], context: GEOSContext? = nil, skipping: [Set<Int>]? = nil,
    _ body: (_ file: String, _ building: Building, _ context: GEOSContext) throws -> T
) throws -> [(set: Int, index: Int, result: T)] {
    let footprints = sets.indices.flatMap { s in
        sets[s].buildings.indices.filter {
            sets[s].buildings[$0].geometry.isPolygonal && skipping?[s].contains($0) != true
        }.map { (s, $0) }
    }
    let contexts = [try context ?? GEOSContext(), try GEOSContext()]
    let results = try alternatelySideBySide(footprints.count) { items, side in
        try items.map { i in
            try body(sets[footprints[i].0].file, sets[footprints[i].0].buildings[footprints[i].1], contexts[side])
        }
    }
    return zip(footprints, results).map { ($0.0, $0.1, $1) }
}
