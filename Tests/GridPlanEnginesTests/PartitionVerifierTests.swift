import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import Testing

@testable import GridPlanEngines

/// The hard-rule proof: gaps, excess and overlap between a container and its parts, whether the
/// parts' union is the container vertex for vertex (no overlay needed) or not.
@Suite struct PartitionVerifierTests {
    func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .polygon([
            [
                Position(x: x0, y: y0), Position(x: x1, y: y0), Position(x: x1, y: y1), Position(x: x0, y: y1),
                Position(x: x0, y: y0),
            ]
        ])
    }

    @Test func gapsExcessAndOverlapAreMeasured() throws {
        let context = try GEOSContext()
        let frame = LocalFrame(around: BoundingBox(minX: 0, minY: 0, maxX: 0.01, maxY: 0.01))
        // Areas in the frame's square metres.
        let verifier = PartitionVerifier(
            measure: { try $0.area() * frame.scaleX * frame.scaleY }, frame: frame, context: context)
        let square = box(0, 0, 0.01, 0.01)
        let cell = frame.scaleX * frame.scaleY * 0.005 * 0.01
        // Two halves, given with the container's own vertices: the union is the container.
        let tiled = try verifier.verify(container: square, parts: [box(0, 0, 0.005, 0.01), box(0.005, 0, 0.01, 0.01)])
        #expect(tiled.gapSquareMetres == 0 && tiled.excessSquareMetres == 0 && tiled.overlapSquareMetres < 1e-6)
        // The same halves in another vertex order and split into quarters: no gap, found by overlay.
        let quarters = try verifier.verify(
            container: square,
            parts: [
                box(0, 0, 0.005, 0.005), box(0, 0.005, 0.005, 0.01), box(0.005, 0, 0.01, 0.005),
                box(0.005, 0.005, 0.01, 0.01),
            ])
        #expect(quarters.gapSquareMetres < 1e-6 && quarters.excessSquareMetres < 1e-6)
        // One half missing: a gap of half the square.
        let gap = try verifier.verify(container: square, parts: [box(0, 0, 0.005, 0.01)])
        #expect(abs(gap.gapSquareMetres - cell) < 1e-6 * cell && gap.excessSquareMetres < 1e-6)
        // A part reaching out of the container: the excess.
        let excess = try verifier.verify(
            container: square, parts: [box(0, 0, 0.005, 0.01), box(0.005, 0, 0.015, 0.01)])
        #expect(abs(excess.excessSquareMetres - cell) < 1e-6 * cell && excess.gapSquareMetres < 1e-6)
        // Two parts sharing half the square: the overlap.
        let overlap = try verifier.verify(container: square, parts: [square, box(0.005, 0, 0.01, 0.01)])
        #expect(abs(overlap.overlapSquareMetres - cell) < 1e-6 * cell)
        #expect(overlap.gapSquareMetres == 0 && overlap.excessSquareMetres == 0)
    }
}
