import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import Testing

@testable import GridPlanEngines

/// Straightened boundaries between parts: checked with GEOS on the result (valid polygons that
/// tile the same square, every building wholly in its own part), not with the algorithm's own
/// geometry.
@Suite struct BoundarySmoothingTests {
    /// A 100 m square in metres (lon/lat near 113°E 22.5°N, as `shapeInMetres` places it).
    let frame = LocalFrame(
        around: BoundingBox(minX: 113, minY: 22.5, maxX: 113 + 100 / 102_850.0, maxY: 22.5 + 100 / 110_574.0))

    /// A zigzag line from (50, 0) to (50, 100): x alternates 44, 56 at y = 5, 15, …, 95.
    let zigzag: [(Double, Double)] = {
        var line: [(Double, Double)] = [(50, 0)]
        for k in 0..<10 { line.append((k % 2 == 0 ? 44.0 : 56.0, 5.0 + 10.0 * Double(k))) }
        line.append((50, 100))
        return line
    }()

    /// The parts of the square 0…100 left and right of `line` (from y = 0 to y = 100).
    func halves(_ line: [(Double, Double)]) -> (left: [Ring], right: [Ring]) {
        (shapeInMetres([[(0, 0)] + line + [(0, 100)]]), shapeInMetres([[(100, 0), (100, 100)] + line.reversed()]))
    }

    /// A building of `w` × `h` metres at (x, y): its frame rings and point, as the engine gives them.
    func building(_ x: Double, _ y: Double, _ w: Double = 4, _ h: Double = 4) -> (BoundarySmoothing.Obstacle, Geometry)
    {
        let lonLat = shapeInMetres([[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]])
        let rings = lonLat.map { $0.map(frame.forward) }
        var box = BoundingBox(minX: rings[0][0].x, minY: rings[0][0].y, maxX: rings[0][0].x, maxY: rings[0][0].y)
        for p in rings[0] { box.extend(p) }
        let (a, c) = (rings[0][0], rings[0][2])
        return (
            .init(rings: rings, point: Position(x: (a.x + c.x) / 2, y: (a.y + c.y) / 2), box: box), .polygon(lonLat)
        )
    }

    /// The parts after straightening, checked: valid, tiling the square (areas add up to it and
    /// their union is it), and each building covered by its own part.
    func straightened(
        _ parts: [[Ring]], buildings: [[(BoundarySmoothing.Obstacle, Geometry)]], pinned: [[Position]] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (parts: [Geometry], result: BoundarySmoothing.Result) {
        var obstacles: [BoundarySmoothing.Obstacle] = []
        var input: [BoundarySmoothing.Part] = []
        for (p, rings) in parts.enumerated() {
            let first = obstacles.count
            obstacles += buildings[p].map(\.0)
            input.append(.init(rings: rings, obstacles: Array(first..<obstacles.count)))
        }
        let result = BoundarySmoothing.straightened(
            parts: input, obstacles: obstacles, pinnedLines: pinned.map { $0.map(frame.forward) }, frame: frame)
        let context = try GEOSContext()
        let out = parts.map { BoundarySmoothing.removing(result.removed, from: .polygon($0)) }
        let natives = try out.map { try NativeGeometry($0, in: context) }
        let square = try NativeGeometry(
            .polygon(shapeInMetres([[(0, 0), (100, 0), (100, 100), (0, 100)]])), in: context)
        var union = natives[0]
        for n in natives.dropFirst() { union = try union.union(n) }
        let areas = try natives.map { try $0.area() }
        for (p, n) in natives.enumerated() {
            #expect(try n.isValid(), "part \(p) is not valid", sourceLocation: sourceLocation)
            #expect(areas[p] > 0, "part \(p) has no area", sourceLocation: sourceLocation)
            for (b, building) in buildings[p].enumerated() {
                #expect(
                    try n.covers(NativeGeometry(building.1, in: context)), "building \(b) left part \(p)",
                    sourceLocation: sourceLocation)
            }
        }
        #expect(
            abs(areas.reduce(0, +) - (try square.area())) < 1e-9 * (try square.area()), sourceLocation: sourceLocation)
        #expect(
            abs((try union.area()) - (try square.area())) < 1e-9 * (try square.area()), sourceLocation: sourceLocation)
        return (out, result)
    }

    @Test func aZigzagWithNothingInTheWayBecomesOneSegment() throws {
        let (left, right) = halves(zigzag)
        let (parts, result) = try straightened(
            [left, right], buildings: [[building(10, 40), building(30, 70)], [building(70, 20), building(85, 60)]])
        // Every zigzag vertex goes: the boundary is the straight line x = 50.
        #expect(result.removed.count == 10)
        #expect(parts[0].polygons[0][0].count == 5)
        let shortened = try #require(result.shortened.first)
        #expect(shortened.after == 100 || abs(shortened.after - 100) < 1e-6)
        #expect(shortened.before > 120)
    }

    @Test func aBuildingInABendKeepsTheBendAndItsPart() throws {
        let (left, right) = halves(zigzag)
        // A building of the left part in the bend towards (56, 15), about a metre from both of
        // its edges: the straight line x = 50 would cut it.
        let inBend = building(49, 13, 3, 4)
        let (parts, result) = try straightened(
            [left, right], buildings: [[building(10, 40), inBend], [building(80, 50)]])
        #expect(result.removed.count > 0 && result.removed.count < 10)
        // What changed keeps a metre (in the frame) from it; what did not was farther already.
        let context = try GEOSContext()
        let shared = try NativeGeometry(frame.forward(parts[0]), in: context).boundary().intersection(
            NativeGeometry(frame.forward(parts[1]), in: context).boundary())
        #expect(try shared.distance(to: NativeGeometry(frame.forward(inBend.1), in: context)) >= 0.999)
    }

    @Test func pointsOnABarrierStay() throws {
        let (left, right) = halves(zigzag)
        // A road through the zigzag's vertex at (44, 45), east–west.
        let road = shapeInMetres([[(0, 45), (100, 45)]])[0].dropLast().map { $0 }
        let (_, result) = try straightened([left, right], buildings: [[], []], pinned: [road])
        #expect(!result.removed.contains(shapeInMetres([[(44, 45)]])[0][0]))
        #expect(result.removed.count == 9)
    }

    /// A part between two boundaries that share both ends: straightening both would squeeze it
    /// to nothing, which must not happen even when it holds no building.
    @Test func aLensBetweenTwoBoundariesIsNotSqueezedAway() throws {
        let west: [(Double, Double)] = [(50, 0), (40, 30), (42, 60), (40, 80), (50, 100)]
        let east: [(Double, Double)] = [(50, 0), (60, 30), (58, 60), (60, 80), (50, 100)]
        let left = shapeInMetres([[(0, 0)] + west + [(0, 100)]])
        let lens = shapeInMetres([east + west.reversed().dropFirst()])
        let right = shapeInMetres([[(100, 0), (100, 100)] + east.reversed()])
        let (parts, _) = try straightened([left, lens, right], buildings: [[], [], []])
        let context = try GEOSContext()
        #expect(try NativeGeometry(parts[1], in: context).area() > 0)
    }
}
