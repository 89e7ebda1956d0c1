import Foundation
import GridPlanTestSupport
import Testing

@testable import GridPlanGeometry
@testable import GridPlanGeometryValues

/// The line helpers in doubles, against GEOS as the oracle.
@Suite struct LineWorkTests {
    func length(_ lines: [[Position]]) -> Double {
        var sum = 0.0
        for line in lines {
            for (a, b) in zip(line, line.dropFirst()) {
                let (dx, dy) = (a.x - b.x, a.y - b.y)
                sum += (dx * dx + dy * dy).squareRoot()
            }
        }
        return sum
    }

    /// Vertices put on the grid in doubles are where GEOS's snap-rounding on that grid puts them,
    /// so a later snap-rounding leaves them in place; and floating noding then rounding gives
    /// the vertices of snap-rounding the same crossing lines.
    @Test func onGridIsWhereSnapRoundingPutsVertices() throws {
        let context = try GEOSContext()
        var random = SeededGenerator(seed: 5)
        let gridSize = 1e-12
        // Long zigzags over a town-sized box in lon/lat (west and east, north and south).
        for origin in [Position(x: 113.2, y: 22.5), Position(x: -71.1, y: -33.4)] {
            let lines = (0..<40).map { _ in
                (0..<6).map { _ in
                    Position(
                        x: origin.x + Double.random(in: 0...0.02, using: &random),
                        y: origin.y + Double.random(in: 0...0.02, using: &random))
                }
            }
            let rounded = Geometry.onGrid(lines, gridSize: gridSize)
            #expect(rounded.count == lines.count)
            let again = try NativeGeometry(.multiLineString(rounded), in: context).unaryUnion(gridSize: gridSize)
            let vertices = Set(rounded.joined())
            let snapped = Set(try again.value().lines.joined())
            // Every input vertex stays where it is (the union adds the crossings).
            #expect(vertices.isSubset(of: snapped), "\(vertices.subtracting(snapped).prefix(3))")
            // Floating noding, then rounding, gives the same vertices as snap-rounding.
            let input = try NativeGeometry(.multiLineString(lines), in: context)
            let floating = try NativeGeometry.nodedLines([input], gridSize: gridSize, in: context).value().lines
            let snappedInput = try input.unaryUnion(gridSize: gridSize).value().lines
            #expect(Set(floating.joined()) == Set(snappedInput.joined()))
        }
    }

    @Test func voronoiEdgesFromTheTriangulationAreGEOSsDiagram() throws {
        let context = try GEOSContext()
        var random = SeededGenerator(seed: 11)
        for count in [3, 4, 40, 400] {
            let points = (0..<count).map { _ in
                Position(x: Double.random(in: 0...100, using: &random), y: Double.random(in: 0...100, using: &random))
            }
            let box = BoundingBox(minX: -5, minY: -5, maxX: 105, maxY: 105)
            let boxPolygon = Geometry.polygon([
                [
                    Position(x: -5, y: -5), Position(x: 105, y: -5), Position(x: 105, y: 105), Position(x: -5, y: 105),
                    Position(x: -5, y: -5),
                ]
            ])
            let sites = try NativeGeometry(.multiPoint(points), in: context)
            let triangles = try sites.delaunayTriangles().value().polygons.map { $0[0] }
            let ours = Geometry.voronoiEdges(delaunay: triangles, within: box)
            let frame = try NativeGeometry(boxPolygon, in: context)
            let theirs = try sites.voronoiDiagram(envelope: frame, onlyEdges: true).intersection(frame).value().lines
            #expect(abs(length(ours) - length(theirs)) < 1e-7 * length(theirs), "\(count) points")
            // Reaching past a frame (as the atoms' edges reach past their block), our edges cut it
            // into one cell per site, each holding its site.
            let wider = Geometry.voronoiEdges(
                delaunay: triangles, within: BoundingBox(minX: -10, minY: -10, maxX: 110, maxY: 110))
            let noded = try NativeGeometry(.multiLineString(wider + boxPolygon.polygons[0]), in: context).unaryUnion()
            let faces = try noded.polygonized()
            // Faces outside the frame (closed by the frame and edges that leave and re-enter it) are dropped, as the
            // atoms drop them.
            let cells = try (0..<(try faces.memberCount())).map { try faces.member($0) }.filter {
                try frame.covers($0.pointOnSurface())
            }
            #expect(cells.count == count, "\(count) points")
            for cell in cells {
                #expect(try points.filter { try cell.covers(NativeGeometry(.point($0), in: context)) }.count == 1)
            }
        }
    }

    @Test func clipKeepsThePartsInsideAPolygonWithAHole() throws {
        let context = try GEOSContext()
        let shell = [
            Position(x: 0, y: 0), Position(x: 10, y: 0), Position(x: 10, y: 10), Position(x: 0, y: 10),
            Position(x: 0, y: 0),
        ]
        let hole = [
            Position(x: 4, y: 4), Position(x: 4, y: 6), Position(x: 6, y: 6), Position(x: 6, y: 4),
            Position(x: 4, y: 4),
        ]
        var random = SeededGenerator(seed: 5)
        let lines = (0..<200).map { _ in
            (0..<3).map { _ in
                Position(x: Double.random(in: -5...15, using: &random), y: Double.random(in: -5...15, using: &random))
            }
        }
        let clipped = Geometry.clip(lines, to: [[shell, hole]])
        let expected = try NativeGeometry(.multiLineString(lines), in: context)
            .intersection(NativeGeometry(.polygon([shell, hole]), in: context)).length()
        #expect(abs(length(clipped) - expected) < 1e-9 * expected)
        for line in clipped {
            for p in line { #expect(p.x >= -1e-9 && p.x <= 10 + 1e-9 && p.y >= -1e-9 && p.y <= 10 + 1e-9) }
        }
    }

    /// With an overshoot, the ends a crossing made reach that far past the outline, so that a
    /// floating-precision noding joins every clipped line to it: the faces are those of the
    /// lines clipped without overshoot and snap-rounded, and no face is lost to a near miss.
    @Test func clipOvershootLetsFloatingNodingFindEveryCrossing() throws {
        let context = try GEOSContext()
        // A block in lon/lat with a courtyard, turned (so that crossings do not fall on it
        // exactly, as they do on an axis-parallel side), and zigzags across it.
        let (x0, y0, c, s) = (113.2, 22.5, cos(0.3), sin(0.3))
        func at(_ x: Double, _ y: Double) -> Position {
            Position(x: x0 + (x * c - y * s) * 1e-4, y: y0 + (x * s + y * c) * 1e-4)
        }
        let shell = [at(0, 0), at(10, 0), at(10, 10), at(0, 10), at(0, 0)]
        let hole = [at(4, 4), at(4, 6), at(6, 6), at(6, 4), at(4, 4)]
        var random = SeededGenerator(seed: 8)
        let lines = (0..<30).map { _ in
            (0..<2).map { _ in
                at(Double.random(in: -5...15, using: &random), Double.random(in: -5...15, using: &random))
            }
        }
        let overshoot = 1e-10
        let exact = Geometry.clip(lines, to: [[shell, hole]])
        let reaching = Geometry.clip(lines, to: [[shell, hole]], overshoot: overshoot)
        #expect(exact.count == reaching.count)
        let outline = try NativeGeometry(.multiLineString([shell, hole]), in: context)
        let originals = Set(lines.joined())
        for line in reaching {
            for end in [line[0], line[line.count - 1]] where !originals.contains(end) {
                // Outside the block, at most `overshoot` from its outline (that far along the line).
                let distance = try outline.distance(to: NativeGeometry(.point(end), in: context))
                #expect(!Geometry.polygonContains([shell, hole], end))
                #expect(distance > 0 && distance <= overshoot * 1.001)
            }
        }
        // A line end that the noding left loose (a dangle) strictly inside the block, within
        // 1e-10° of its outline, is a crossing it missed (the faces on either side of that line
        // then merge); a bit beyond a crossing ends outside (GEOS's exact predicate tells).
        let block = try PreparedGeometry(NativeGeometry(.polygon([shell, hole]), in: context))
        func looseEndsInside(_ lines: [[Position]], noding: (NativeGeometry) throws -> NativeGeometry) throws -> Int {
            let noded = try noding(
                NativeGeometry.collect([outline, NativeGeometry(.multiLineString(lines), in: context)], in: context))
            var degree: [Position: Int] = [:]
            for line in try noded.value().lines {
                for end in [line[0], line[line.count - 1]] { degree[end, default: 0] += 1 }
            }
            return try degree.filter { end, count in
                let point = try NativeGeometry(.point(end), in: context)
                return try count == 1 && outline.distance(to: point) < 1e-10 && block.containsProperly(point)
            }.count
        }
        func floating(_ g: NativeGeometry) throws -> NativeGeometry {
            try NativeGeometry.nodedLines([g], gridSize: 1e-12, in: context)
        }
        #expect(try looseEndsInside(reaching, noding: floating) == 0)
        #expect(try looseEndsInside(exact, noding: { try $0.unaryUnion(gridSize: 1e-12) }) == 0)
        // A line that stops 2e-11° short of the outline (20 times the grid) is such a miss: the check sees it.
        let side = (shell[0], shell[1])
        let short = Position(
            x: (side.0.x + side.1.x) / 2 - 2e-11 * (side.1.y - side.0.y) / 1e-3,
            y: (side.0.y + side.1.y) / 2 + 2e-11 * (side.1.x - side.0.x) / 1e-3)
        #expect(try looseEndsInside([[at(5, 2), short]], noding: floating) == 1)
    }

    /// The open-addressing tables number keys as a Dictionary would: first come, first
    /// numbered, equal keys (−0 and +0 too) one number, through many growths.
    @Test func numberingsAgreeWithADictionary() {
        var rng = SeededGenerator(seed: 3)
        var vertices = VertexNumbering()
        var keys = KeyNumbering()
        var expected: [Position: Int] = [:], expectedKeys: [UInt64: Int] = [:]
        for i in 0..<50_000 {
            // Few distinct values, so that most positions come again; zeros of both signs.
            let x = Double(Int.random(in: -60...60, using: &rng)) * 0.25,
                y = Double(Int.random(in: -60...60, using: &rng)) * 0.5
            let p = Position(x: i % 7 == 0 ? -0.0 * x : x, y: y)
            let n = vertices.number(p).number
            if let e = expected[p] {
                #expect(n == e)
            } else {
                #expect(n == expected.count)
                expected[p] = n
            }
            #expect(vertices.find(p) == n)
            let key = KeyNumbering.pair(Int.random(in: 0..<300, using: &rng), Int.random(in: 0..<300, using: &rng))
            let k = keys.number(key)
            #expect(k.inserted == (expectedKeys[key] == nil))
            if k.inserted { expectedKeys[key] = k.number }
            #expect(k.number == expectedKeys[key])
        }
        #expect(vertices.count == expected.count && keys.count == expectedKeys.count)
        #expect(vertices.find(Position(x: 1e9, y: 0)) == nil)
        #expect(vertices.number(Position(x: -0.0, y: -0.0)).number == vertices.number(Position(x: 0, y: 0)).number)
        #expect(KeyNumbering.pair(7, 3) == KeyNumbering.pair(3, 7))
    }

    /// T-junctions whose foot is computed in doubles (a rounding error off the segment it
    /// stands on): floating noding leaves most of them without a node, and rounding to the grid
    /// then pushes some feet across. nodedLines must give line work that is noded on the grid:
    /// GEOS's snap-rounding on the same grid finds nothing more to node.
    @Test func nodedLinesStayNodedAfterRounding() throws {
        let context = try GEOSContext()
        let grid = 1e-12
        func noded(_ lines: [[Position]]) -> Bool {
            let again = try? NativeGeometry(.multiLineString(lines), in: context).unaryUnion(gridSize: grid).value()
            return again.map { segmentSet($0.lines) == segmentSet(lines) } ?? false
        }
        var random = SeededGenerator(seed: 21)
        var brokenByRounding = 0
        for _ in 0..<300 {
            func point() -> Position {
                Position(
                    x: 113 + Double.random(in: 0..<1e-3, using: &random),
                    y: 22 + Double.random(in: 0..<1e-3, using: &random))
            }
            let (a, b) = (point(), point())
            let t = Double.random(in: 0.2...0.8, using: &random)
            let foot = Position(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))
            let lines = [[a, b], [foot, point()], [point(), point()]]
            let native = try NativeGeometry(.multiLineString(lines), in: context)
            let made = try NativeGeometry.nodedLines([native], gridSize: grid, in: context).value().lines
            #expect(noded(made), "not noded: \(lines)")
            if !noded(Geometry.onGrid(try native.unaryUnion().value().lines, gridSize: grid)) { brokenByRounding += 1 }
        }
        // The case is real: rounding alone broke some.
        #expect(brokenByRounding > 0)
    }

    /// The segments of line work, each once, in either direction.
    func segmentSet(_ lines: [[Position]]) -> Set<[Double]> {
        Set(
            lines.flatMap { line in
                zip(line, line.dropFirst()).filter { $0 != $1 }.map { p, q in
                    (p.x, p.y) < (q.x, q.y) ? [p.x, p.y, q.x, q.y] : [q.x, q.y, p.x, p.y]
                }
            })
    }

    /// The noding in Swift splits where segments cross, where an end stands on another
    /// segment and where collinear segments overlap, and keeps a segment given twice once.
    @Test func swiftNodingSplitsAtEveryMeeting() throws {
        func p(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }
        let made = Geometry.nodedInDoubles([
            [p(0, 0), p(4, 0)],  // crossed by the diagonal at (2, 0), stood on at (1, 0)
            [p(1, 0), p(1, 1)],
            [p(1, -1), p(3, 1)],
            [p(3, 0), p(6, 0)],  // overlaps the first from 3 to 4
            [p(6, 0), p(3, 0)],  // the same segment again, reversed
            [p(0, 5), p(1, 5)],  // meets nothing
        ])
        #expect(made.count == 5)
        #expect(
            segmentSet(made)
                == segmentSet([
                    [p(0, 0), p(1, 0), p(2, 0), p(3, 0), p(4, 0)], [p(1, 0), p(1, 1)], [p(1, -1), p(2, 0), p(3, 1)],
                    [p(3, 0), p(4, 0), p(6, 0)], [p(0, 5), p(1, 5)],
                ]))
    }

    /// On tangles of crossing zigzags, T-junctions with feet computed in doubles, collinear
    /// overlaps and repeated segments, the noding in Swift gives line work that GEOS's
    /// snap-rounding on the same grid finds nothing more to node in, and exactly the segments
    /// of GEOS's floating noding then rounding (``NativeGeometry/nodedLines(_:gridSize:in:)``).
    @Test func swiftNodingIsNodedAsGEOSNodesIt() throws {
        let context = try GEOSContext()
        let grid = 1e-12
        var random = SeededGenerator(seed: 33)
        for round in 0..<20 {
            func point() -> Position {
                Position(
                    x: 113 + Double.random(in: 0..<2e-3, using: &random),
                    y: 22 + Double.random(in: 0..<2e-3, using: &random))
            }
            var lines = (0..<(5 + round)).map { _ in (0..<4).map { _ in point() } }
            for _ in 0..<10 {
                // A foot on a random segment, and a line from it.
                let line = lines[Int.random(in: 0..<lines.count, using: &random)]
                let (a, b) = (line[0], line[1])
                let t = Double.random(in: 0.1...0.9, using: &random)
                lines.append([Position(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)), point()])
            }
            // A piece of a segment again (collinear overlap), and a whole line again, reversed.
            let (a, b) = (lines[0][0], lines[0][1])
            lines.append([Position(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2), b])
            lines.append(lines[1].reversed())
            guard let ours = Geometry.noded(lines, gridSize: grid) else {
                Issue.record("round \(round): the rounding was not mended in three passes")
                continue
            }
            let again = try NativeGeometry(.multiLineString(ours), in: context).unaryUnion(gridSize: grid).value()
            #expect(segmentSet(again.lines) == segmentSet(ours), "round \(round): not noded")
            let theirs = try NativeGeometry.nodedLines(
                [NativeGeometry(.multiLineString(lines), in: context)], gridSize: grid, in: context
            ).value().lines
            // The same segments as GEOS's floating noding then rounding (in raw form each may
            // hold a segment twice, as overlapping input leaves it).
            #expect(segmentSet(ours) == segmentSet(theirs), "round \(round)")
            #expect(Geometry.faces(ofNoded: ours).count > 10)
            #expect(Geometry.noded(lines, gridSize: grid, parallel: true) == ours, "round \(round): parallel")
        }
    }

    /// On two threads (cells, then segments, split in two) the noding is the same, point for
    /// point, as on one, and noded: on 300 random lines, 100 with a foot on another and 40 ending
    /// a grid step and a half beside one (thousands of crossings, T-junctions and near misses).
    @Test func nodingOnTwoThreadsIsTheSameNoding() throws {
        let context = try GEOSContext()
        let grid = 1e-12
        var random = SeededGenerator(seed: 71)
        func point() -> Position {
            Position(
                x: 113 + Double.random(in: 0..<1e-2, using: &random),
                y: 22 + Double.random(in: 0..<1e-2, using: &random))
        }
        var lines = (0..<300).map { _ in (0..<3).map { _ in point() } }
        for _ in 0..<100 {
            let line = lines[Int.random(in: 0..<300, using: &random)]
            let (a, b) = (line[1], line[2])
            let t = Double.random(in: 0.05...0.95, using: &random)
            lines.append([Position(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)), point()])
        }
        for k in 0..<40 {
            // A line ending 1.5 grid steps beside a segment (a near miss for the mending).
            let (a, b) = (lines[k][0], lines[k][1])
            let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
            let (nx, ny) = (-(b.y - a.y) / length * 1.5 * grid, (b.x - a.x) / length * 1.5 * grid)
            lines.append([Position(x: (a.x + b.x) / 2 + nx, y: (a.y + b.y) / 2 + ny), point()])
        }
        #expect(Geometry.nodedInDoubles(lines, parallel: true) == Geometry.nodedInDoubles(lines))
        let serial = try #require(Geometry.noded(lines, gridSize: grid))
        #expect(Geometry.noded(lines, gridSize: grid, parallel: true) == serial)
        let rounded = Geometry.onGrid(Geometry.nodedInDoubles(lines), gridSize: grid)
        let mended = Geometry.nodingNearMisses(rounded, tolerance: 4 * grid, onlyOn: nil)
        let mendedOnTwo = Geometry.nodingNearMisses(rounded, tolerance: 4 * grid, onlyOn: nil, parallel: true)
        #expect(mended.added > 0)
        #expect(mended.lines == mendedOnTwo.lines && mended.added == mendedOnTwo.added)
        // Noded: GEOS's snap-rounding on the same grid finds nothing more to node.
        let again = try NativeGeometry(.multiLineString(serial), in: context).unaryUnion(gridSize: grid).value()
        #expect(segmentSet(again.lines) == segmentSet(serial), "not noded")
        #expect(Geometry.faces(ofNoded: serial).count > 1_000)
    }

    /// Polygons found apart in Swift are disjoint for GEOS; pairs that touch along a wall or at a
    /// corner, overlap, nest, or sit in another's hole (disjoint, found apart) are all judged.
    /// The chains, in order and orientation, are those of a plain scan that keeps the lines at
    /// each end point in a dictionary (the way it was first written), on random line work with
    /// shared ends, closed rings, single points, repeated lines and vertices met by many lines.
    @Test func chainingMatchesAScanByEndPoints() {
        func reference(_ lines: [[Position]]) -> [[Position]] {
            var ends: [Position: [Int]] = [:]
            for (i, line) in lines.enumerated() where line.count > 1 {
                ends[line[0], default: []].append(i)
                ends[line[line.count - 1], default: []].append(i)
            }
            var used = [Bool](repeating: false, count: lines.count)
            func next(from p: Position) -> [Position]? {
                for i in ends[p] ?? [] where !used[i] {
                    used[i] = true
                    return lines[i][0] == p ? lines[i] : lines[i].reversed()
                }
                return nil
            }
            var result: [[Position]] = []
            for (i, line) in lines.enumerated() where !used[i] && line.count > 1 {
                used[i] = true
                var chain = line
                while let more = next(from: chain[chain.count - 1]) { chain += more.dropFirst() }
                var head: [Position] = []
                while let more = next(from: head.last ?? chain[0]) { head += more.dropFirst() }
                result.append(head.reversed() + chain)
            }
            return result
        }
        var random = SeededGenerator(seed: 4)
        for round in 0..<30 {
            // Few distinct points, so that ends are shared often (and -0 meets +0).
            let points = (0..<(4 + round)).map { k in
                Position(x: k == 0 ? -0.0 : Double(Int.random(in: 0..<6, using: &random)), y: Double(k % 3))
            }
            var lines = (0..<(10 + 3 * round)).map { _ in
                (0..<Int.random(in: 1...4, using: &random)).map { _ in points.randomElement(using: &random)! }
            }
            lines.append([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 0, y: 0)])
            lines.append(lines[0])
            #expect(Geometry.chained(lines) == reference(lines), "round \(round)")
        }
    }

    @Test func polygonsFoundApartAreDisjoint() throws {
        let context = try GEOSContext()
        var random = SeededGenerator(seed: 12)
        func polygon(_ x: Double, _ y: Double, _ w: Double, _ h: Double, turn: Double) -> [Ring] {
            let corners = [(0.0, 0.0), (w, 0), (w, h), (0, h), (0, 0)]
            return [
                corners.map { (u, v) in
                    Position(x: x + u * cos(turn) - v * sin(turn), y: y + u * sin(turn) + v * cos(turn))
                }
            ]
        }
        var apart = 0, disjoint = 0
        for _ in 0..<400 {
            let a = polygon(
                9.5 + Double.random(in: 0..<1e-3, using: &random), 47.1 + Double.random(in: 0..<1e-3, using: &random),
                Double.random(in: 1e-5..<3e-4, using: &random), Double.random(in: 1e-5..<3e-4, using: &random),
                turn: Double.random(in: 0..<1, using: &random))
            let b = polygon(
                9.5 + Double.random(in: 0..<1e-3, using: &random), 47.1 + Double.random(in: 0..<1e-3, using: &random),
                Double.random(in: 1e-5..<3e-4, using: &random), Double.random(in: 1e-5..<3e-4, using: &random),
                turn: Double.random(in: 0..<1, using: &random))
            let found = Geometry.polygonsApart([a], [b], margin: 1e-9)
            let gap = try NativeGeometry(.polygon(a), in: context).distance(
                to: NativeGeometry(.polygon(b), in: context))
            if found { apart += 1 }
            if gap > 1e-9 { disjoint += 1 }
            #expect(!found || gap > 1e-9, "found apart at \(gap)")
        }
        #expect(apart > 50 && apart == disjoint)
        func p(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }
        let square: [Ring] = [[p(0, 0), p(1, 0), p(1, 1), p(0, 1), p(0, 0)]]
        let wall: [Ring] = [[p(1, 0), p(2, 0), p(2, 1), p(1, 1), p(1, 0)]]
        let corner: [Ring] = [[p(1, 1), p(2, 1), p(2, 2), p(1, 2), p(1, 1)]]
        let inner: [Ring] = [[p(0.2, 0.2), p(0.4, 0.2), p(0.4, 0.4), p(0.2, 0.2)]]
        let holed: [Ring] = [
            [p(-5, -5), p(5, -5), p(5, 5), p(-5, 5), p(-5, -5)], [p(-2, -2), p(-2, 3), p(3, 3), p(3, -2), p(-2, -2)],
        ]
        #expect(!Geometry.polygonsApart([square], [wall], margin: 1e-9))
        #expect(!Geometry.polygonsApart([square], [corner], margin: 1e-9))
        #expect(!Geometry.polygonsApart([square], [inner], margin: 1e-9))
        #expect(!Geometry.polygonsApart([inner], [square], margin: 1e-9))
        #expect(Geometry.polygonsApart([square], [holed], margin: 1e-9))
        #expect(!Geometry.polygonsApart([square], [holed], margin: 3))
        #expect(!Geometry.polygonsApart([], [square], margin: 1e-9))
    }

    @Test func chainsUseEverySegmentOnce() {
        // A grid of unit segments: chained into fewer lines with the same segments.
        var segments: [[Position]] = []
        for i in 0..<5 {
            for j in 0..<5 {
                segments.append([Position(x: Double(i), y: Double(j)), Position(x: Double(i + 1), y: Double(j))])
                segments.append([Position(x: Double(i), y: Double(j + 1)), Position(x: Double(i), y: Double(j))])
            }
        }
        let chains = Geometry.chained(segments)
        #expect(chains.count < segments.count / 2)
        func key(_ a: Position, _ b: Position) -> [Double] {
            (a.x, a.y) < (b.x, b.y) ? [a.x, a.y, b.x, b.y] : [b.x, b.y, a.x, a.y]
        }
        let before = segments.map { key($0[0], $0[1]) }.sorted { $0.lexicographicallyPrecedes($1) }
        let after = chains.flatMap { c in zip(c, c.dropFirst()).map { key($0, $1) } }.sorted {
            $0.lexicographicallyPrecedes($1)
        }
        #expect(before == after)
    }

    /// Our face tracer gives GEOS's polygonizer's faces, one for one, on arrangements with
    /// dangles, cut edges, islands inside islands, rings touching at a vertex, and random lines.
    @Test func tracedFacesAreGEOSsPolygonizedFaces() throws {
        let context = try GEOSContext()
        func square(_ x: Double, _ y: Double, _ size: Double) -> [Position] {
            [
                Position(x: x, y: y), Position(x: x + size, y: y), Position(x: x + size, y: y + size),
                Position(x: x, y: y + size), Position(x: x, y: y),
            ]
        }
        func p(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }
        var random = SeededGenerator(seed: 5)
        let randomLines = (0..<60).map { _ in
            [
                p(Double.random(in: 0...100, using: &random), Double.random(in: 0...100, using: &random)),
                p(Double.random(in: 0...100, using: &random), Double.random(in: 0...100, using: &random)),
            ]
        }
        let cases: [(String, [[Position]])] = [
            (
                "two squares, a bridge and a dangle",
                [square(0, 0, 10), square(20, 0, 10), [p(10, 5), p(20, 5)], [p(30, 5), p(40, 9)]]
            ),
            ("islands inside islands", [square(0, 0, 100), square(10, 10, 50), square(20, 20, 10), square(70, 70, 5)]),
            (
                "a triangle touching its face's outline at a vertex",
                [square(0, 0, 10), [p(0, 5), p(4, 3), p(4, 7), p(0, 5)]]
            ),
            (
                "a figure eight inside a square",
                [square(0, 0, 10), [p(2, 2), p(5, 5), p(2, 8), p(2, 2)], [p(5, 5), p(8, 2), p(8, 8), p(5, 5)]]
            ),
            ("a tree of lines only", [[p(0, 0), p(1, 1), p(2, 0)], [p(1, 1), p(1, 3)]]),
            ("random lines in a frame", randomLines + [square(0, 0, 100)]),
        ]
        for (name, lines) in cases {
            let noded = try NativeGeometry(.multiLineString(lines), in: context).unaryUnion(gridSize: 1e-6)
            let ours = Geometry.faces(ofNoded: try noded.value().lines)
            let theirs = try noded.polygonized()
            let count = try theirs.memberCount()
            #expect(ours.count == count, "\(name): \(ours.count) faces, GEOS \(count)")
            var unmatched = Set(0..<count)
            for polygon in ours {
                let face = try NativeGeometry(.polygon(polygon), in: context)
                let wkt = try face.wkt()
                #expect(try face.isValid(), "\(name): face \(wkt) is not valid")
                let match = try unmatched.sorted().first { try theirs.member($0).equalsTopologically(face) }
                #expect(match != nil, "\(name): face \(wkt) is not one of GEOS's")
                if let match { unmatched.remove(match) }
            }
        }
        #expect(Geometry.faces(ofNoded: []).isEmpty)
    }
}
