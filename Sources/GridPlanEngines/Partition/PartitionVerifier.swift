import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Proves the hard rules on the finished geometry, independently of how it was built:
/// parts cover their container (gap and excess areas), do not overlap (pairwise), and are
/// each one polygon unless the container itself has several parts.
struct PartitionVerifier {
    let measure: (NativeGeometry) throws -> Double
    let frame: LocalFrame
    let context: GEOSContext

    struct Result: Sendable, Equatable {
        var gapSquareMetres: Double
        var excessSquareMetres: Double
        var overlapSquareMetres: Double
        /// Indices of parts with more than one polygon.
        var multipart: [Int]
    }

    func verify(container: Geometry, parts: [Geometry]) throws -> Result {
        let whole = try NativeGeometry(container, in: context)
        let pieces = try parts.map { try NativeGeometry($0, in: context) }
        let union = try NativeGeometry.unionAll(pieces, gridSize: PartitionPrecision.gridSize, in: context)
        var (gap, excess) = (0.0, 0.0)
        // The union is the container, vertex for vertex (in GEOS normal form): nothing lies
        // between them, and the two overlays below would find nothing.
        if try !union.normalized().equalsExact(whole.normalized()) {
            gap = try measure(whole.difference(union, gridSize: PartitionPrecision.gridSize))
            excess = try measure(union.difference(whole, gridSize: PartitionPrecision.gridSize))
        }
        // Overlap as Σ areas − area of the union: exact (zero iff no two parts share area) and
        // free of pairwise overlays, which GEOS can get wrong on near-degenerate slivers.
        // Lon/lat areas scale to m² by the frame's factor (affine within the unit).
        let sum = try pieces.reduce(0) { $0 + (try $1.area()) }
        let overlap = max(0, (sum - (try union.area())) * frame.scaleX * frame.scaleY)
        let multipart = parts.indices.filter { parts[$0].polygons.count > 1 }
        return Result(
            gapSquareMetres: gap, excessSquareMetres: excess, overlapSquareMetres: overlap, multipart: multipart)
    }
}
