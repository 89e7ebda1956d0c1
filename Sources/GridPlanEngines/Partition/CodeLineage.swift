import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A grid of an earlier plan, for keeping codes stable across re-division.
public struct PreviousGrid: Sendable, Equatable {
    public var code: String
    public var unitCode: String
    public var geometry: Geometry

    public init(code: String, unitCode: String, geometry: Geometry) {
        self.code = code
        self.unitCode = unitCode
        self.geometry = geometry
    }
}

/// What happened to a grid between two plans.
public struct LineageEntry: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Same geometry (IoU ≥ 0.999): same code.
        case unchanged
        /// One predecessor, boundary moved.
        case reshaped
        /// Part of a predecessor that became several grids.
        case split
        /// Made of several predecessors.
        case merged
        /// No predecessor.
        case new
        /// An old grid whose code no new grid carries.
        case retired
    }

    public var unitCode: String
    /// The new grid's code (empty for a retired grid).
    public var code: String
    public var status: Status
    /// Old codes the new grid came from (for a retired grid: its own code).
    public var previous: [String]
    /// For a retired grid: the new grids its area went to.
    public var successors: [String]
    /// IoU with the old grid whose code it kept.
    public var iou: Double?
}

/// Keeps grid codes stable when a unit is re-divided: new grids are matched to the unit's old
/// grids by an optimal assignment on IoU (Hungarian), a match of IoU ≥ 0.2 keeps the old code,
/// and grids without one get fresh sequence numbers after the unit's highest old one, so a
/// retired code is never given to a different grid.
enum CodeLineage {
    static let keepThreshold = 0.2
    static let unchangedThreshold = 0.999
    /// An overlap counts when it is at least 1 % of the smaller of the two grids.
    static let significant = 0.01

    static func assign(
        pieces: [NativeGeometry], provisionalOrder: [Int], unitCode: String, digits: Int, previous: [PreviousGrid],
        issued: Int = 0, context: GEOSContext
    ) throws -> (codes: [String], entries: [LineageEntry]) {
        let old = try previous.map { try NativeGeometry($0.geometry, in: context) }
        let newAreas = try pieces.map { try $0.area() }, oldAreas = try old.map { try $0.area() }
        let newBoxes = try pieces.map { try $0.boundingBox() }, oldBoxes = try old.map { try $0.boundingBox() }
        var shared = [[Double]](repeating: [Double](repeating: 0, count: old.count), count: pieces.count)
        for i in pieces.indices {
            for j in old.indices {
                guard let a = newBoxes[i], let b = oldBoxes[j], a.intersects(b) else { continue }
                shared[i][j] = try pieces[i].intersection(old[j], gridSize: PartitionPrecision.gridSize).area()
            }
        }
        func iou(_ i: Int, _ j: Int) -> Double {
            let union = newAreas[i] + oldAreas[j] - shared[i][j]
            return union > 0 ? shared[i][j] / union : 0
        }
        // Optimal matching on IoU; the smaller side is the rows.
        var kept = [Int?](repeating: nil, count: pieces.count)
        if !pieces.isEmpty && !old.isEmpty {
            if pieces.count <= old.count {
                let columns = Hungarian.solve(pieces.indices.map { i in old.indices.map { -iou(i, $0) } })
                for (i, j) in columns.enumerated() where iou(i, j) >= keepThreshold { kept[i] = j }
            } else {
                let columns = Hungarian.solve(old.indices.map { j in pieces.indices.map { -iou($0, j) } })
                for (j, i) in columns.enumerated() where iou(i, j) >= keepThreshold { kept[i] = j }
            }
        }
        var nextSequence = max(issued, previous.compactMap { Int($0.code.dropFirst(unitCode.count)) }.max() ?? 0)
        var codes = [String](repeating: "", count: pieces.count)
        for i in provisionalOrder {
            if let j = kept[i] {
                codes[i] = previous[j].code
            } else {
                nextSequence += 1
                codes[i] = unitCode + StableCodes.sequence(nextSequence, digits: digits)
            }
        }
        func overlaps(_ i: Int, _ j: Int) -> Bool {
            shared[i][j] >= significant * min(newAreas[i], oldAreas[j]) && shared[i][j] > 0
        }
        var entries: [LineageEntry] = []
        for i in provisionalOrder {
            let sources = old.indices.filter { overlaps(i, $0) }
            let status: LineageEntry.Status
            if let j = kept[i], iou(i, j) >= unchangedThreshold {
                status = .unchanged
            } else if sources.count >= 2 {
                status = .merged
            } else if let j = sources.first {
                status = pieces.indices.filter { overlaps($0, j) }.count >= 2 ? .split : .reshaped
            } else {
                status = .new
            }
            entries.append(
                LineageEntry(
                    unitCode: unitCode, code: codes[i], status: status, previous: sources.map { previous[$0].code },
                    successors: [], iou: kept[i].map { iou(i, $0) }))
        }
        let keptOld = Set(kept.compactMap { $0 })
        for j in old.indices where !keptOld.contains(j) {
            entries.append(
                LineageEntry(
                    unitCode: unitCode, code: "", status: .retired, previous: [previous[j].code],
                    successors: pieces.indices.filter { overlaps($0, j) }.map { codes[$0] }.sorted(), iou: nil))
        }
        return (codes, entries)
    }
}
