import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// What `report.html` shows: the plan's territory and partition, and optionally its staffing.
public struct PlanReportInput: Sendable {
    public var planPath: String
    public var generatedAt: Date
    public var runs: [(command: String, summary: String)]
    public var units: [StoredUnit]
    public var grids: [Grid]
    public var microGrids: [MicroGrid]
    /// From a `gridplan staff` output folder: filled and vacant posts per role, and the vacancies.
    public var staffing: StaffingDigest?
    /// The last recall and testing round stored in the plan, when there are.
    public var mobilisation = MobilisationDigest()

    public init(
        planPath: String, generatedAt: Date, runs: [(command: String, summary: String)], units: [StoredUnit],
        grids: [Grid],
        microGrids: [MicroGrid], staffing: StaffingDigest? = nil,
        mobilisation: MobilisationDigest = MobilisationDigest()
    ) {
        self.mobilisation = mobilisation
        self.planPath = planPath
        self.generatedAt = generatedAt
        self.runs = runs
        self.units = units
        self.grids = grids
        self.microGrids = microGrids
        self.staffing = staffing
    }
}

/// The wartime state of a plan: the vessels of the last recall after the recorded events,
/// its ports, and the sampling sites of the last testing round.
public struct MobilisationDigest: Sendable {
    public var vessels: [VesselState] = []
    public var ports: [(id: String, name: String, berths: Int, taken: Int, point: Position)] = []
    public var sites:
        [(id: String, people: Int, tables: Int, samplersNeeded: Int, samplersPlaced: Int, point: Position)] = []
    /// The last testing run's verdict line.
    public var testingVerdict: String?
    /// The testing round's micro-grids with the counts reported so far (by `gridplan serve` or
    /// `gridplan testing status`).
    public var testing: [MicrogridProgress] = []

    public init() {}

    /// Reads it from the plan file.
    public static func read(_ store: PlanStore) throws -> MobilisationDigest {
        var digest = MobilisationDigest()
        digest.vessels = try store.recallState()
        let layers = try store.recallLayers()
        func number(_ f: GeoJSONFeature, _ name: String) -> Int {
            if case .number(let n)? = f.properties.first(where: { $0.0 == name })?.1 { return Int(n) }
            return 0
        }
        func text(_ f: GeoJSONFeature, _ name: String) -> String {
            if case .string(let s)? = f.properties.first(where: { $0.0 == name })?.1 { return s }
            return ""
        }
        for f in layers.first(where: { $0.name == "ports" })?.features ?? [] {
            guard case .point(let p)? = f.geometry else { continue }
            digest.ports.append(
                (
                    text(f, "port_id"), text(f, "name"), number(f, "berths"),
                    number(f, "already_in") + number(f, "assigned"), p
                ))
        }
        for f in try store.testingLayers().first?.features ?? [] {
            guard case .point(let p)? = f.geometry else { continue }
            digest.sites.append(
                (
                    text(f, "site_id"), number(f, "people"), number(f, "tables_open"), number(f, "samplers_needed"),
                    number(f, "samplers_placed"), p
                ))
        }
        digest.testingVerdict = try store.runs().last { $0.command == "testing" }?.summary
        digest.testing = try store.testingTally().states
        return digest
    }
}

/// Posts filled and vacant per role, and vacancy rows, as read back from a staffing folder.
public struct StaffingDigest: Sendable {
    public var folder: String
    public var filled: [StaffRole: Int]
    public var vacant: [StaffRole: Int]
    /// grid code, role, vacant count, nearest surplus people (text).
    public var vacancies: [(grid: String, role: StaffRole, count: Int, nearest: String)]

    public init(
        folder: String, filled: [StaffRole: Int], vacant: [StaffRole: Int],
        vacancies: [(grid: String, role: StaffRole, count: Int, nearest: String)]
    ) {
        self.folder = folder
        self.filled = filled
        self.vacant = vacant
        self.vacancies = vacancies
    }
}

/// One self-contained HTML file: inline SVG maps (grids coloured by household band, town and
/// county outlines, micro-grids and code labels that appear when zoomed in), a legend and a
/// scale bar that follows the zoom, and the summary tables. No script or style is loaded from
/// anywhere, so it opens offline.
public enum PlanReport {
    /// Map width in SVG units; coordinates are written with one decimal.
    static let mapWidth = 1000.0

    public static func render(_ input: PlanReportInput) throws -> String {
        let points = input.mobilisation.vessels.map(\.position) + input.mobilisation.ports.map(\.point)
        let projection = try MapProjection(
            input.grids.map(\.geometry) + input.units.filter { $0.unit.kind == .county }.map(\.unit.geometry)
                + (points.isEmpty ? [] : [.multiPoint(points)]))
        let context = try GEOSContext()
        var html = HTMLText()
        html.raw(
            """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>GridPlan report: \(escape(input.planPath))</title>
            <style>\(try ReportAssets.css())</style></head><body>
            <h1>GridPlan report</h1>
            <p class="meta">Plan <code>\(escape(input.planPath))</code>, generated \(isoTime(input.generatedAt)).
            \(input.grids.count) grids, \(input.microGrids.count) micro-grids in \(input.units.count) units.</p>

            """)
        // The map.
        let unitsByCode = Dictionary(input.units.map { ($0.unit.code, $0.unit) }, uniquingKeysWith: { a, _ in a })
        let recallLegendIfAny = input.mobilisation.vessels.isEmpty ? "" : recallLegend
        html.raw(
            """
            <section id="map-section"><h2>Grids by household band</h2>
            <div class="toolbar"><button id="zoom-in" type="button">+</button>
            <button id="zoom-out" type="button">−</button>
            <button id="zoom-reset" type="button">reset</button>
            <label><input id="show-micro" type="checkbox" checked> micro-grids when zoomed in (×3)</label>
            <label><input id="show-labels" type="checkbox" checked> codes when zoomed in (×6)</label></div>
            <svg id="map" xmlns="http://www.w3.org/2000/svg"
             viewBox="0 0 \(format(projection.width)) \(format(projection.height))"
             data-metres-per-unit="\(format(projection.metresPerUnit, 4))" role="img" aria-label="map of grids">

            """)
        try baseLayers(
            grids: input.grids, microGrids: input.microGrids, units: input.units.map(\.unit), projection: projection,
            context: context, tagged: false, into: &html)
        mobilisationMarks(input.mobilisation, projection: projection, into: &html)
        html.raw("</svg>\n")
        html.raw(
            """
            <div class="legend"><span class="swatch band-ok"></span> households in band
            <span class="swatch band-below"></span> below band <span class="swatch band-above"></span> above band
            <span class="swatch band-exempt"></span> no household norm (dedicated, maritime)
            <span class="line town"></span> town <span class="line county"></span> county\(recallLegendIfAny)
            <span class="scale"><span id="scale-bar"></span> <span id="scale-label"></span></span></div>
            <p class="hint">Scroll or use + / − to zoom, drag to pan; hover a grid for its code and households.
            Labels show the last three digits of the grid code.</p>
            </section>

            """)
        summaryTables(input, unitsByCode: unitsByCode, into: &html)
        html.raw("<script>\(try ReportAssets.javaScript())</script>\n</body></html>\n")
        return html.text
    }

    // MARK: Tables

    static func summaryTables(
        _ input: PlanReportInput, unitsByCode: [String: TerritorialUnit], into html: inout HTMLText
    ) {
        let grids = input.grids
        let comprehensive = grids.filter { $0.kind == .comprehensive }
        func share(_ n: Int, _ of: Int) -> String {
            of == 0 ? "–" : String(format: "%.1f %%", 100 * Double(n) / Double(of))
        }
        html.raw("<section><h2>Summary</h2><table class=\"figures\">\n")
        var unitKinds: [String: Int] = [:]
        for u in input.units { unitKinds[u.unit.kind.rawValue, default: 0] += 1 }
        row(&html, "units", unitKinds.keys.sorted().map { "\(unitKinds[$0]!) \($0)" }.joined(separator: ", "))
        var gridKinds: [String: Int] = [:]
        for g in grids { gridKinds[g.kind.rawValue, default: 0] += 1 }
        row(
            &html, "grids",
            "\(grids.count) (" + gridKinds.keys.sorted().map { "\(gridKinds[$0]!) \($0)" }.joined(separator: ", ") + ")"
        )
        row(&html, "micro-grids", "\(input.microGrids.count)")
        row(
            &html, "households / population",
            "\(grids.reduce(0) { $0 + $1.households }) / \(grids.reduce(0) { $0 + $1.population })")
        let inBand = comprehensive.filter { $0.band == .ok }.count
        row(
            &html, "comprehensive grids in household band",
            "\(inBand) of \(comprehensive.count) (\(share(inBand, comprehensive.count)))")
        let bandedMicro = input.microGrids.filter { $0.band != .exempt }
        let microIn = bandedMicro.filter { $0.band == .ok }.count
        let indivisible = bandedMicro.filter { $0.band == .indivisible }.count
        row(
            &html, "micro-grids in household band",
            "\(microIn) of \(bandedMicro.count) (\(share(microIn, bandedMicro.count)))"
                + PartitionWriter.indivisibleNote(indivisible))
        let households = comprehensive.map(\.households).sorted()
        if !households.isEmpty {
            row(
                &html, "households per comprehensive grid",
                "min \(households.first!), median \(households[households.count / 2]), max \(households.last!)")
        }
        let compactness = grids.map(\.compactness)
        if !compactness.isEmpty {
            row(
                &html, "compactness (Polsby–Popper)",
                String(
                    format: "mean %.3f, min %.3f", compactness.reduce(0, +) / Double(compactness.count),
                    compactness.min()!))
        }
        let violating = grids.filter { !$0.violations.isEmpty }
        row(&html, "grids with violations", "\(violating.count)")
        html.raw("</table></section>\n")

        // By town: the level above the villages and communities that hold the grids.
        var byTown:
            [String: (name: String, grids: Int, inBand: Int, comprehensive: Int, households: Int, violations: Int)] =
                [:]
        for g in grids {
            let unit = unitsByCode[g.unitCode]
            let town = unit?.parent.flatMap { unitsByCode[$0] }
            let key = town?.code ?? unit?.parent ?? "—"
            var t = byTown[key] ?? (town?.name ?? key, 0, 0, 0, 0, 0)
            t.grids += 1
            t.households += g.households
            if g.kind == .comprehensive {
                t.comprehensive += 1
                if g.band == .ok { t.inBand += 1 }
            }
            if !g.violations.isEmpty { t.violations += 1 }
            byTown[key] = t
        }
        html.raw(
            "<section><h2>By "
                + "town</h2><table><thead><tr><th>code</th><th>town</th><th>grids</th><th>households</th><th>in "
                + "band</th><th>violations</th></tr></thead><tbody>\n"
        )
        for key in byTown.keys.sorted() {
            let t = byTown[key]!
            html.raw("<tr><td>")
            html.text(key)
            html.raw("</td><td>")
            html.text(t.name)
            html.raw(
                "</td><td class=\"n\">\(t.grids)</td><td class=\"n\">\(t.households)</td><td "
                    + "class=\"n\">\(share(t.inBand, t.comprehensive))</td><td class=\"n\">\(t.violations)</td></tr>\n"
            )
        }
        html.raw("</tbody></table></section>\n")

        if let staffing = input.staffing {
            html.raw("<section><h2>Staffing</h2><p class=\"meta\">From <code>")
            html.text(staffing.folder)
            html.raw("</code>.</p><table><thead><tr><th>role</th><th>filled</th><th>vacant</th></tr></thead><tbody>\n")
            for role in StaffRole.allCases where staffing.filled[role] != nil || staffing.vacant[role] != nil {
                html.raw("<tr><td>")
                html.text("\(role.rawValue) (\(role.chineseName))")
                html.raw(
                    "</td><td class=\"n\">\(staffing.filled[role] ?? 0)</td><td "
                        + "class=\"n\">\(staffing.vacant[role] ?? 0)</td></tr>\n"
                )
            }
            html.raw("</tbody></table>\n")
            list(
                &html, title: "Vacancies", header: ["grid", "role", "vacant", "nearest people without a post"],
                rows: staffing.vacancies.map { [$0.grid, $0.role.rawValue, "\($0.count)", $0.nearest] })
            html.raw("</section>\n")
        }

        mobilisationTables(input.mobilisation, into: &html)

        html.raw("<section><h2>Violations</h2>\n")
        list(
            &html, title: nil, header: ["grid", "unit", "households", "rules", "notes"],
            rows: violating.map {
                [
                    $0.code, unitsByCode[$0.unitCode]?.name ?? $0.unitCode, "\($0.households)",
                    $0.violations.joined(separator: ", "), $0.notes.joined(separator: "; "),
                ]
            })
        html.raw("</section>\n<section><h2>Runs</h2>\n")
        list(&html, title: nil, header: ["command", "summary"], rows: input.runs.map { [$0.command, $0.summary] })
        html.raw("</section>\n")
    }

    /// The map's layers: grids (coloured by band, with a title), micro-grids, town and county
    /// outlines and grid labels. `tagged` adds `data-grid` / `data-microgrid` attributes, so a
    /// live page can colour each by its state.
    static func baseLayers(
        grids: [Grid], microGrids: [MicroGrid], units: [TerritorialUnit], projection: MapProjection,
        context: GEOSContext, tagged: Bool, into html: inout HTMLText
    ) throws {
        let unitsByCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func tag(_ name: String, _ code: String) -> String { tagged ? " data-\(name)=\"\(escape(code))\"" : "" }
        let simplify = 0.25 / projection.unitsPerDegree  // a quarter unit: below a pixel at full view
        html.raw("<g id=\"grids\">\n")
        for grid in grids {
            let d = try projection.path(grid.geometry, simplify: simplify, context: context)
            let unitName = unitsByCode[grid.unitCode]?.name ?? grid.unitCode
            html.raw(
                "<path class=\"band-\(grid.band.rawValue) kind-\(grid.kind.rawValue)\"\(tag("grid", grid.code)) "
                    + "d=\"\(d)\"><title>")
            html.text(
                "\(grid.code) · \(unitName) · \(grid.households) households, \(grid.population) people · "
                    + "\(grid.band.rawValue)"
            )
            html.raw("</title></path>\n")
        }
        html.raw("</g>\n<g id=\"micro\">\n")
        for micro in microGrids {
            let d = try projection.path(micro.geometry, simplify: simplify, context: context)
            html.raw("<path\(tag("microgrid", micro.code)) d=\"\(d)\"/>\n")
        }
        html.raw("</g>\n<g id=\"towns\">\n")
        for unit in units where unit.kind == .town {
            html.raw("<path d=\"\(try projection.path(unit.geometry, simplify: simplify, context: context))\"/>\n")
        }
        html.raw("</g>\n<g id=\"counties\">\n")
        for unit in units where unit.kind == .county {
            html.raw("<path d=\"\(try projection.path(unit.geometry, simplify: simplify, context: context))\"/>\n")
        }
        html.raw("</g>\n<g id=\"labels\">\n")
        for grid in grids {
            // An empty grid has no label (its row in the tables still shows it).
            guard let p = try NativeGeometry(grid.geometry, in: context).interiorPoint() else { continue }
            let (x, y) = projection.project(p)
            html.raw("<text x=\"\(format(x))\" y=\"\(format(y))\">\(escape(String(grid.code.suffix(3))))</text>\n")
        }
        html.raw("</g>\n")
    }

    /// The plan's map as one SVG document for the live command page: the report's layers, tagged
    /// with codes, framed to hold the recall's vessels too; the projection's parameters are on
    /// the root element (`data-min-lon`, `data-max-lat`, `data-cos-lat`, `data-units-per-degree`),
    /// so the page places live marks with x = (lon − min-lon) · cos-lat · units-per-degree and
    /// y = (max-lat − lat) · units-per-degree.
    public static func liveMap(_ store: PlanStore) throws -> String {
        let grids = try store.grids(), units = try store.units().map(\.unit)
        guard !grids.isEmpty else {
            throw InputError(
                file: store.path, rule: "plan.empty", "the plan has no grids; run `gridplan partition` first")
        }
        let vessels = try store.recallState().map(\.position)
        let projection = try MapProjection(
            grids.map(\.geometry) + units.filter { $0.kind == .county }.map(\.geometry)
                + (vessels.isEmpty ? [] : [.multiPoint(vessels)]))
        var svg = HTMLText()
        svg.raw(
            """
            <svg xmlns="http://www.w3.org/2000/svg" \
            viewBox="0 0 \(format(projection.width)) \(format(projection.height))" \
            data-min-lon="\(projection.minLon)" data-max-lat="\(projection.maxLat)" \
            data-cos-lat="\(projection.cosLat)" data-units-per-degree="\(projection.unitsPerDegree)" \
            data-metres-per-unit="\(format(projection.metresPerUnit, 4))" role="img" aria-label="map of grids">

            """)
        try baseLayers(
            grids: grids, microGrids: try store.microGrids(), units: units, projection: projection,
            context: try GEOSContext(), tagged: true, into: &svg)
        svg.raw("</svg>\n")
        return svg.text
    }

    static let recallLegend = """
         <span class="dot cannot_make_it"></span> cannot make it <span class="dot at_risk"></span> at risk
        <span class="dot can_make_it"></span> can make it <span class="dot in_port"></span> in port
        <span class="port-mark"></span> shelter port
        """

    /// Vessels (coloured by state: in port once an arrival is recorded) and shelter ports on the map.
    static func mobilisationMarks(_ m: MobilisationDigest, projection: MapProjection, into html: inout HTMLText) {
        guard !m.vessels.isEmpty else { return }
        html.raw("<g id=\"recall\">\n")
        for v in m.vessels {
            let (x, y) = projection.project(v.position)
            let state = v.inPort ? "in_port" : v.planned.rawValue
            html.raw("<circle class=\"\(state)\" cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"2.5\"><title>")
            html.text(
                "\(v.id) \(v.name) · \(v.inPort ? "in port" : v.planned.rawValue) · call \(v.responsible) "
                    + "\(v.responsiblePhone)"
            )
            html.raw("</title></circle>\n")
        }
        for p in m.ports {
            let (x, y) = projection.project(p.point)
            html.raw(
                "<rect class=\"port\" x=\"\(format(x - 4))\" y=\"\(format(y - 4))\" width=\"8\" height=\"8\"><title>")
            html.text("\(p.id) \(p.name) · \(p.taken) of \(p.berths) berths taken")
            html.raw("</title></rect>\n")
        }
        html.raw("</g>\n")
    }

    /// The wartime section: recall status after the recorded events, and the testing round.
    static func mobilisationTables(_ m: MobilisationDigest, into html: inout HTMLText) {
        guard !m.vessels.isEmpty || !m.sites.isEmpty else { return }
        html.raw("<section><h2>Mobilisation (平战结合)</h2>\n")
        if !m.vessels.isEmpty {
            let atSea = m.vessels.filter { !$0.inPort }
            html.raw("<h3>Typhoon recall</h3><table class=\"figures\">\n")
            row(&html, "in port", "\(m.vessels.count - atSea.count) of \(m.vessels.count)")
            row(&html, "at sea", "\(atSea.count)")
            for status in RecallStatus.allCases {
                row(
                    &html, "planned: \(status.rawValue) (\(status.chineseName))",
                    "\(m.vessels.filter { $0.planned == status }.count)")
            }
            let crewed = m.vessels.filter { $0.crew > 0 }
            row(&html, "crews ashore (人船双回)", "\(crewed.filter(\.crewAshore).count) of \(crewed.count)")
            let berths = m.ports.reduce(0) { $0 + $1.berths }, taken = m.ports.reduce(0) { $0 + $1.taken }
            row(&html, "shelter berths taken", "\(taken) of \(berths) in \(m.ports.count) ports")
            html.raw("</table>\n")
            list(
                &html, title: "Vessels still at sea, most urgent first",
                header: ["vessel", "name", "planned", "confirmed", "responsible", "phone", "port"],
                rows: atSea.map {
                    [
                        $0.id, $0.name, $0.planned.rawValue, $0.confirmed ? "yes" : "no", $0.responsible,
                        $0.responsiblePhone, $0.portName,
                    ]
                })
        }
        if !m.sites.isEmpty {
            html.raw("<h3>Mass testing</h3>")
            if let verdict = m.testingVerdict {
                html.raw("<p>")
                html.text(verdict)
                html.raw("</p>")
            }
            html.raw("<table class=\"figures\">\n")
            row(&html, "sampling sites", "\(m.sites.count)")
            row(&html, "tables", "\(m.sites.reduce(0) { $0 + $1.tables })")
            row(&html, "people to sample", "\(m.sites.reduce(0) { $0 + $1.people })")
            row(
                &html, "samplers placed / needed",
                "\(m.sites.reduce(0) { $0 + $1.samplersPlaced }) / \(m.sites.reduce(0) { $0 + $1.samplersNeeded })")
            let reported = m.testing.filter(\.reported)
            if !reported.isEmpty {
                row(&html, "sampled so far (reported)", "\(m.testing.reduce(0) { $0 + $1.sampled })")
                row(&html, "micro-grids reported / all", "\(reported.count) / \(m.testing.count)")
                row(
                    &html, "away / to re-test",
                    "\(m.testing.reduce(0) { $0 + $1.absent }) / \(m.testing.reduce(0) { $0 + $1.retest })")
                row(&html, "latest report", reported.map(\.lastReport).max() ?? "")
            }
            html.raw("</table>\n")
        }
        html.raw("</section>\n")
    }

    /// A table of at most 500 rows, saying how many more there are.
    static func list(_ html: inout HTMLText, title: String?, header: [String], rows: [[String]]) {
        if let title { html.raw("<h3>\(escape(title))</h3>\n") }
        guard !rows.isEmpty else {
            html.raw("<p>None.</p>\n")
            return
        }
        html.raw("<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n")
        for r in rows.prefix(500) {
            html.raw("<tr>" + r.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n")
        }
        html.raw("</tbody></table>\n")
        if rows.count > 500 { html.raw("<p>… and \(rows.count - 500) more (see the CSV and GeoJSON outputs).</p>\n") }
    }

    static func row(_ html: inout HTMLText, _ name: String, _ value: String) {
        html.raw("<tr><th>\(escape(name))</th><td>\(escape(value))</td></tr>\n")
    }

    static func isoTime(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func format(_ v: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", v) }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// Lon/lat to SVG units: equirectangular about the middle latitude (north up), scaled so the
/// map is `PlanReport.mapWidth` wide.
struct MapProjection {
    let minLon: Double, maxLat: Double, cosLat: Double
    let unitsPerDegree: Double
    let width: Double, height: Double
    /// Metres on the ground per SVG unit (east–west at the middle latitude).
    let metresPerUnit: Double

    init(_ geometries: [Geometry]) throws {
        guard let box = BoundingBox.union(geometries.compactMap(\.boundingBox)) else {
            throw InputError(rule: "report.empty", "the plan has no geometry to draw")
        }
        minLon = box.minX
        maxLat = box.maxY
        cosLat = cos((box.minY + box.maxY) / 2 * .pi / 180)
        let spanX = max(1e-9, (box.maxX - box.minX) * cosLat), spanY = max(1e-9, box.maxY - box.minY)
        unitsPerDegree = PlanReport.mapWidth / spanX
        width = PlanReport.mapWidth
        height = (spanY * unitsPerDegree).rounded(.up)
        metresPerUnit = Degrees.metresOfLongitudeAtEquator / unitsPerDegree
    }

    func project(_ p: Position) -> (Double, Double) {
        ((p.x - minLon) * cosLat * unitsPerDegree, (maxLat - p.y) * unitsPerDegree)
    }

    /// SVG path data of a polygonal geometry, simplified by `simplify` degrees (topology kept),
    /// one decimal, repeated points dropped.
    func path(_ geometry: Geometry, simplify: Double, context: GEOSContext) throws -> String {
        var shape = geometry
        if simplify > 0 {
            shape = try NativeGeometry(geometry, in: context).simplifyPreservingTopology(tolerance: simplify).value()
        }
        var d = ""
        for polygon in shape.polygons {
            for ring in polygon {
                var last = ""
                var count = 0
                for p in ring.dropLast() {
                    let (x, y) = project(p)
                    let xy = "\(PlanReport.format(x)) \(PlanReport.format(y))"
                    if xy == last { continue }
                    d += (count == 0 ? "M" : "L") + xy
                    last = xy
                    count += 1
                }
                if count > 0 { d += "Z" }
            }
        }
        return d
    }
}

/// HTML text built in one buffer.
struct HTMLText {
    private(set) var text = ""

    mutating func raw(_ s: String) { text += s }
    mutating func text(_ s: String) { text += PlanReport.escape(s) }
}
