import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Rules on how units fit together, measured in m² in the local equal-area projection:
/// `unit.overlap` (siblings — same parent — share area), `unit.outside-parent` (a unit
/// reaches outside the unit its `parent` names), `unit.gap` (part of a town or county covered
/// by none of its children; without a parent outline, holes enclosed by siblings that no
/// unit covers). Villages are not expected to be tiled by the dedicated units inside them.
struct TopologyCheck {
    let units: [(file: String, unit: TerritorialUnit)]
    let layer: MeasuredLayer
    let options: CheckOptions

    private func reference(_ i: Int) -> FeatureReference { units[i].unit.reference }

    func run(progress: (String) -> Void) throws -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var index: [String: Int] = [:]
        for (i, entry) in units.enumerated() where index[entry.unit.code] == nil { index[entry.unit.code] = i }
        // Siblings: same parent code; units without a parent form one group.
        var groups: [String: [Int]] = [:]
        for (i, entry) in units.enumerated() { groups[entry.unit.parent ?? "", default: []].append(i) }

        progress("checking overlaps between \(units.count) units")
        for i in units.indices {
            diagnostics += attempt(i) { try overlaps(of: i) }
        }
        progress("checking units against their parents")
        for key in groups.keys.sorted() {
            let children = groups[key]!
            if let parent = index[key], !key.isEmpty {
                // Only towns and counties must be tiled by their children; a village holding a
                // park or school (a dedicated unit carved out of it) is not.
                let tiled = units[parent].unit.kind.isContainer
                diagnostics += attempt(parent) {
                    try outside(children: children, parent: parent)
                        + (options.checkGaps && tiled ? try gapsInside(parent: parent, children: children) : [])
                }
            } else if options.checkGaps {
                diagnostics += attempt(children[0]) { try enclosedGaps(children: children) }
            }
        }
        return diagnostics
    }

    /// Runs one rule for one unit; a GEOS failure there (e.g. a TopologyException on a
    /// degenerate shape) becomes a finding on that unit instead of ending the whole check.
    private func attempt(_ unit: Int, _ body: () throws -> [Diagnostic]) -> [Diagnostic] {
        do {
            return try body()
        } catch {
            return [
                Diagnostic(
                    .error, rule: "geometry.topology-error", file: units[unit].file, feature: reference(unit),
                    message: "the topology rules could not be evaluated here: \(error)")
            ]
        }
    }

    private func overlaps(of i: Int) throws -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        guard let a = layer.geometries[i], let box = layer.boxes[i] else { return [] }
        for j in layer.tree.query(box) where j > i {
            guard units[i].unit.parent == units[j].unit.parent, let b = layer.geometries[j] else { continue }
            // No intersects() first: GEOS 3.11's relate can throw on nearly coincident shared
            // edges of valid polygons; the overlay (OverlayNG) is robust.
            let shared = try a.intersection(b)
            let area = try layer.squareMetres(shared)
            guard area > options.areaTolerance else { continue }
            diagnostics.append(
                Diagnostic(
                    .error, rule: "unit.overlap", file: units[i].file, feature: reference(i), related: [reference(j)],
                    message: "overlaps \(reference(j))\(units[j].file == units[i].file ? "" : " of \(units[j].file)") "
                        + "by \(Self.squareMetres(area)); siblings must not share area",
                    location: try layer.location(of: shared), areaSquareMetres: area))
        }
        return diagnostics
    }

    private func outside(children: [Int], parent: Int) throws -> [Diagnostic] {
        guard let outline = layer.geometries[parent] else { return [] }
        var diagnostics: [Diagnostic] = []
        for c in children {
            guard let child = layer.geometries[c] else { continue }
            let beyond = try child.difference(outline)
            let area = try layer.squareMetres(beyond)
            guard area > options.areaTolerance else { continue }
            let total = try layer.squareMetres(child)
            let share = total > 0 ? area / total * 100 : 0
            diagnostics.append(
                Diagnostic(
                    .error, rule: "unit.outside-parent", file: units[c].file, feature: reference(c),
                    related: [reference(parent)],
                    message:
                        "\(Self.squareMetres(area)) (\(Self.percent(share))) lies outside its parent "
                        + "\(reference(parent))",
                    location: try layer.location(of: beyond), areaSquareMetres: area))
        }
        return diagnostics
    }

    private func gapsInside(parent: Int, children: [Int]) throws -> [Diagnostic] {
        guard let outline = layer.geometries[parent] else { return [] }
        let members = children.compactMap { layer.geometries[$0] }
        guard !members.isEmpty else { return [] }
        let covered = try NativeGeometry.unionAll(members, in: layer.context)
        let uncovered = try outline.difference(covered)
        return try layer.parts(of: uncovered, minimumArea: options.areaTolerance).map { gap, area in
            Diagnostic(
                .error, rule: "unit.gap", file: units[parent].file, feature: reference(parent),
                message:
                    "a gap of \(Self.squareMetres(area)) inside this unit is covered by none of its \(members.count) "
                    + "child units, "
                    + "so no grid would cover it. " + Self.gapAdvice(area),
                location: try layer.location(of: gap), areaSquareMetres: area)
        }
    }

    /// Without a parent outline: holes in the union of siblings that no other unit fills.
    private func enclosedGaps(children: [Int]) throws -> [Diagnostic] {
        let members = children.compactMap { layer.geometries[$0] }
        guard members.count > 1 else { return [] }
        let union = try NativeGeometry.unionAll(members, in: layer.context)
        var diagnostics: [Diagnostic] = []
        for polygon in try union.value().polygons where polygon.count > 1 {
            for hole in polygon.dropFirst() {
                let gap = try NativeGeometry(.polygon([hole]), in: layer.context)
                var area = try layer.squareMetres(gap)
                guard area > options.areaTolerance, let box = try gap.boundingBox() else { continue }
                // Units that fill the hole (an enclave of another parent) are not a gap.
                var remaining = gap
                for j in layer.tree.query(box) {
                    guard let other = layer.geometries[j], try other.intersects(remaining) else { continue }
                    remaining = try remaining.difference(other)
                }
                area = try layer.squareMetres(remaining)
                guard area > options.areaTolerance else { continue }
                let near = children.first { (try? layer.geometries[$0]?.distance(to: gap)) == 0 } ?? children[0]
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "unit.gap", file: units[near].file, feature: reference(near),
                        message:
                            "a gap of \(Self.squareMetres(area)) enclosed by this unit and its siblings is covered "
                            + "by no unit, "
                            + "so no grid would cover it. " + Self.gapAdvice(area),
                        location: try layer.location(of: remaining), areaSquareMetres: area))
            }
        }
        return diagnostics
    }

    /// How to go on past a gap, and what then happens to its area.
    static func gapAdvice(_ area: Double) -> String {
        "To go on: draw the gap into a neighbouring unit; or pass --no-gaps (gaps are not checked) or "
            + "--tolerance \(Int(area.rounded(.up)) + 1) (gaps and overlaps up to that many m² are ignored): "
            + "the gap then stays outside every grid"
    }

    static func squareMetres(_ area: Double) -> String {
        if area >= 1_000_000 { return "\(round1(area / 1_000_000)) km²" }
        return "\(grouped(Int(area.rounded()))) m²"
    }

    /// 284419 → "284,419".
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(abs(n)))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func percent(_ value: Double) -> String { "\(round1(value))%" }

    private static func round1(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r.rounded() == r ? String(Int(r)) : "\(r)"
    }
}
