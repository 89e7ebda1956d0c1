import Foundation
import GridPlanTestSupport
import Testing

@testable import GridPlanGeometry
@testable import GridPlanGeometryValues

@Suite struct GEOSTests {
    // A bow-tie: its two triangles touch at (10.5, 50.5), which GEOS reports.
    let bowTieWKT = "POLYGON ((10 50, 11 51, 11 50, 10 51, 10 50))"

    @Test func validityReportsReasonAndLocation() throws {
        let context = try GEOSContext()
        let bowTie = try NativeGeometry(wkt: bowTieWKT, in: context)
        #expect(try bowTie.isValid() == false)
        guard case .invalid(let reason, let location) = try bowTie.validity() else {
            Issue.record("bow-tie reported valid")
            return
        }
        #expect(reason.contains("Self-intersection"))
        #expect(location == Position(x: 10.5, y: 50.5))
        let square = try NativeGeometry(square(0, 0, 1), in: context)
        #expect(try square.validity() == .valid)
    }

    @Test func makeValidMethodsDiffer() throws {
        let context = try GEOSContext()
        let repaired = try NativeGeometry(wkt: bowTieWKT, in: context).makeValid()
        #expect(try repaired.isValid())
        #expect(try repaired.value().typeName == "MultiPolygon")
        #expect(abs(try repaired.area() - 0.5) < 1e-12)
        // A polygon collapsed to a line: linework keeps the lines, structure without
        // keepCollapsed drops them (the example in shapely's make_valid documentation).
        let collapsed = try NativeGeometry(wkt: "POLYGON ((0 0, 1 1, 1 2, 1 1, 0 0))", in: context)
        let linework = try collapsed.makeValid(method: .linework)
        let structure = try collapsed.makeValid(method: .structure(keepCollapsed: false))
        #expect(try linework.value().typeName == "MultiLineString")
        #expect(try structure.isEmpty())
    }

    @Test func geosMessagesAreCaptured() throws {
        let context = try GEOSContext()
        #expect {
            _ = try NativeGeometry(wkt: "POLYGON((0 0, 1", in: context)
        } throws: { error in
            guard case GeometryLibraryError.geos(let function, let messages) = error else { return false }
            return function == "GEOSWKTReader_read_r" && messages.contains { $0.contains("ParseException") }
        }
    }

    @Test func valueRoundTripThroughGEOS() throws {
        let context = try GEOSContext()
        let withHole: Geometry = .polygon([
            [
                Position(x: 0, y: 0), Position(x: 10, y: 0), Position(x: 10, y: 10), Position(x: 0, y: 10),
                Position(x: 0, y: 0),
            ],
            [
                Position(x: 2, y: 2), Position(x: 2, y: 4), Position(x: 4, y: 4), Position(x: 4, y: 2),
                Position(x: 2, y: 2),
            ],
        ])
        let values: [Geometry] = [
            .point(Position(x: 1.5, y: -2)),
            .multiPoint([Position(x: 0, y: 0), Position(x: 1, y: 1)]),
            .lineString([Position(x: 0, y: 0), Position(x: 1, y: 1), Position(x: 2, y: 0)]),
            .multiLineString([
                [Position(x: 0, y: 0), Position(x: 1, y: 1)], [Position(x: 5, y: 5), Position(x: 6, y: 5)],
            ]),
            withHole,
            .multiPolygon([[square(0, 0, 1).polygons[0][0]], [square(5, 5, 2).polygons[0][0]]]),
            .collection([.point(Position(x: 3, y: 3)), withHole]),
        ]
        for value in values {
            #expect(try NativeGeometry(value, in: context).value() == value)
        }
        #expect(abs(try NativeGeometry(withHole, in: context).area() - 96) < 1e-12)
    }

    @Test func openRingIsRejectedBeforeGEOS() throws {
        let context = try GEOSContext()
        let open: Geometry = .polygon([
            [Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1)]
        ])
        #expect(throws: GeometryLibraryError.self) { try NativeGeometry(open, in: context) }
    }

    @Test func wkbIsLittleEndianISOAndRoundTrips() throws {
        let context = try GEOSContext()
        let polygon = try NativeGeometry(square(113, 22, 0.5), in: context)
        let wkb = try polygon.wkb()
        // 01 = NDR; 03000000 = ISO Polygon type 3 as little-endian uint32.
        #expect(Array(wkb.prefix(5)) == [0x01, 0x03, 0x00, 0x00, 0x00])
        // 1 + 4 + 4 (rings) + 4 (points) + 5 × 16 bytes.
        #expect(wkb.count == 93)
        let back = try NativeGeometry(wkb: wkb, in: context)
        #expect(try back.equalsExact(polygon))
        #expect(throws: GeometryLibraryError.self) { try NativeGeometry(wkb: Data([1, 3, 0]), in: context) }
    }

    @Test func overlayAndMeasures() throws {
        let context = try GEOSContext()
        let a = try NativeGeometry(square(0, 0, 2), in: context)
        let b = try NativeGeometry(square(1, 1, 2), in: context)
        #expect(abs(try a.intersection(b).area() - 1) < 1e-12)
        #expect(abs(try a.union(b).area() - 7) < 1e-12)
        #expect(abs(try a.difference(b).area() - 3) < 1e-12)
        #expect(abs(try a.length() - 8) < 1e-12)
        #expect(try a.centroid().value() == .point(Position(x: 1, y: 1)))
        let left = try NativeGeometry(square(0, 0, 1), in: context)
        let right = try NativeGeometry(square(1, 0, 1), in: context)
        let merged = try NativeGeometry.unionAll([left, right], in: context)
        #expect(try merged.value().typeName == "Polygon")
        #expect(abs(try merged.area() - 2) < 1e-12)
        #expect(try a.intersects(b))
        #expect(try a.covers(left))
        #expect(try !left.contains(b))
        #expect(try a.boundingBox() == BoundingBox(minX: 0, minY: 0, maxX: 2, maxY: 2))
    }

    @Test func pointOnSurfaceStaysInsideACShape() throws {
        let context = try GEOSContext()
        // A C shape whose centroid falls in the notch.
        let c = try NativeGeometry(
            wkt: "POLYGON ((0 0, 10 0, 10 2, 2 2, 2 8, 10 8, 10 10, 0 10, 0 0))", in: context)
        #expect(try !c.contains(c.centroid()))
        #expect(try c.contains(c.pointOnSurface()))
    }

    @Test func interiorsMeetOnlyWhenFootprintsOverlap() throws {
        // Row houses share a wall (one group each); a building part over its building overlaps.
        let context = try GEOSContext()
        let a = try NativeGeometry(square(0, 0, 10), in: context)
        let wall = try NativeGeometry(square(10, 0, 10), in: context)
        let corner = try NativeGeometry(square(10, 10, 10), in: context)
        let part = try NativeGeometry(square(9.999, 2, 3), in: context)
        #expect(try !a.interiorsIntersect(wall) && !a.interiorsIntersect(corner))
        #expect(try a.intersects(wall) && a.interiorsIntersect(part) && part.interiorsIntersect(wall))
    }

    @Test func voronoiCellsTileTheEnvelope() throws {
        let context = try GEOSContext()
        let sites = try NativeGeometry(
            .multiPoint([
                Position(x: 1, y: 1), Position(x: 3, y: 1), Position(x: 1, y: 3), Position(x: 3, y: 3),
                Position(x: 2, y: 2),
            ]),
            in: context)
        let frame = try NativeGeometry(square(0, 0, 4), in: context)
        let cells = try sites.voronoiDiagram(envelope: frame)
        #expect(try cells.memberCount() == 5)
        var total = 0.0
        for i in 0..<5 { total += try cells.member(i).intersection(frame).area() }
        #expect(abs(total - 16) < 1e-9)
    }

    /// The Swift densifier puts exactly GEOS's points into valid polygons and lines (segments
    /// of random lengths, most longer than the step, some shorter, repeated points dropped).
    @Test func swiftDensifyPlacesGEOSsPoints() throws {
        let context = try GEOSContext()
        var random = SeededGenerator(seed: 11)
        let step = 0.0005
        for _ in 0..<200 {
            // A star-shaped ring around a centre (valid), with radii from a fraction of the step to 20 steps.
            let centre = Position(
                x: Double.random(in: 100..<120, using: &random), y: Double.random(in: 20..<40, using: &random))
            let n = Int.random(in: 3..<12, using: &random)
            let radius = Double.random(in: 0.0001..<0.01, using: &random)
            var ring = (0..<n).map { k in
                let angle = 2 * Double.pi * Double(k) / Double(n)
                let r = radius * Double.random(in: 0.3..<1, using: &random)
                return Position(x: centre.x + r * cos(angle), y: centre.y + r * sin(angle))
            }
            ring.append(ring[0])
            let line = Geometry.lineString([ring[0], ring[0], ring[1], ring[2]])
            for value in [Geometry.polygon([ring]), line, .multiPolygon([[ring]])] {
                let geos = try NativeGeometry(value, in: context).densified(maxSegmentLength: step).value()
                // GEOS gives a MultiPolygon of one polygon back as a Polygon: the same rings.
                let swift = value.densified(maxSegmentLength: step)
                #expect(swift.polygons == geos.polygons && swift.lines == geos.lines)
            }
        }
        // A segment of exactly two steps gets three pieces (GEOS 3.11: ⌊L / step⌋ + 1).
        let two = Geometry.lineString([Position(x: 0, y: 0), Position(x: 2, y: 0)]).densified(maxSegmentLength: 1)
        #expect(two == .lineString([0, 2.0 / 3, 4.0 / 3, 2].map { Position(x: $0, y: 0) }))
        // No positive step: nothing to densify (GEOS refuses such a tolerance), and no trap.
        let line = Geometry.lineString([Position(x: 0, y: 0), Position(x: 2, y: 0)])
        for step in [0, -1, Double.nan] { #expect(line.densified(maxSegmentLength: step) == line) }
    }
}
