import Foundation
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// What `gridplan staff` did.
public struct StaffRun: Sendable {
    /// Problems with the roster; when any is an error (and bad rows are not skipped) nothing was written.
    public var diagnostics: [Diagnostic]
    public var result: StaffingResult?
}

/// `gridplan staff`: read a plan and a roster, assign people exactly, write the lists.
public enum StaffWorkflow {
    public static func run(
        plan path: String, roster: String, out folder: String, rules: StaffingRules = StaffingRules(),
        current: String? = nil,
        crs: CRS? = nil, columns: [String] = [], skipBadRows: Bool = false, byteOrderMark: Bool = false,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> StaffRun {
        let file = try PlanFile.locate(path)
        progress("reading \(file)")
        let store = try PlanStore.open(file)
        let grids = try store.grids(), micro = try store.microGrids()
        guard !grids.isEmpty else {
            throw InputError(file: file, rule: "plan.empty", "the plan has no grids; run `gridplan partition` first")
        }
        progress("reading \(roster)")
        var (people, diagnostics) = try RosterReader(overrides: columns).read(roster)
        if diagnostics.contains(where: { $0.severity <= .error }) {
            guard skipBadRows else { return StaffRun(diagnostics: diagnostics, result: nil) }
            diagnostics = diagnostics.map {
                var d = $0; d.severity = .warning; d.message += " (row skipped)"; return d
            }
        }
        if let crs, crs != .wgs84 {
            try DegreesAsMetres.refuse(people.map(\.home), crs: crs, file: roster)
            let converter = try WGS84Converter(crs)
            for i in people.indices {
                if case .point(let home) = try converter.toWGS84(.point(people[i].home)) { people[i].home = home }
            }
        }
        let assignments = try current.map(RosterReader.currentAssignments)
        if let assignments, let current {
            // People who left and grids that are gone are said, not silently dropped.
            let ids = Set(people.map(\.id)), codes = Set(grids.map(\.code))
            for a in assignments where !ids.contains(a.personID) {
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "current.person-unknown", file: current, line: a.line,
                        message:
                            "\(a.personID) is not in the roster (left?); their post in \(a.gridCode) is filled again"))
            }
            for a in assignments where !codes.contains(a.gridCode) {
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "current.grid-unknown", file: current, line: a.line,
                        message: "grid \(a.gridCode) is not in the plan (retired?); \(a.personID) is placed afresh"))
            }
        }
        let places = try staffedPlaces(grids: grids, microGrids: micro)
        let started = Date()
        var result = StaffingEngine.run(
            places: places, people: people, rules: rules, current: assignments, progress: progress)
        result.seconds = Date().timeIntervalSince(started)
        progress("writing the lists to \(folder)")
        let inputs = [roster] + (current.map { [$0] } ?? [])
        let batch = PlanFile.outputs(plan: file, inputs: inputs)
        defer { batch.discard() }
        try batch.folder(folder)
        let csv = CSVWriter(byteOrderMark: byteOrderMark)
        let a = StaffingWriter.assignmentsRows(result), v = StaffingWriter.vacancyRows(result),
            u = StaffingWriter.unassignedRows(result)
        try batch.write(csv.encode(header: a.header, rows: a.rows), to: folder + "/assignments.csv")
        try batch.write(csv.encode(header: v.header, rows: v.rows), to: folder + "/vacancies.csv")
        try batch.write(csv.encode(header: u.header, rows: u.rows), to: folder + "/unassigned.csv")
        if assignments != nil {
            let m = StaffingWriter.moveRows(result)
            try batch.write(csv.encode(header: m.header, rows: m.rows), to: folder + "/moves.csv")
        } else {
            try batch.remove(folder + "/moves.csv")
        }
        try batch.write(
            GeoJSONWriter(decimals: 7).encode(StaffingWriter.gridFeatures(result, grids: grids), name: "grids_staffed"),
            to: folder + "/grids_staffed.geojson")
        // The plan keeps the last staffing, for the report, exports and mobilisation; its
        // transaction decides whether these lists or the old ones stand.
        progress("storing \(result.assignments.count) posts and \(people.count) people in \(file)")
        let filled = result.slots.values.reduce(0) { $0 + $1.filled },
            total = result.slots.values.reduce(0) { $0 + $1.total }
        try batch.commit(journalIn: PlanFile.folder(of: file), plan: file) {
            try store.replaceStaffing(
                result,
                run: PlanRun(
                    command: "staff", arguments: ["--roster", roster, "--out", folder], inputs: inputs,
                    summary: "\(filled) of \(total) posts filled from \(people.count) people", outputsToken: batch.token
                ))
        }
        return StaffRun(diagnostics: diagnostics, result: result)
    }

    /// Grids with a point inside each (and inside each micro-grid), where distances are measured to.
    static func staffedPlaces(grids: [Grid], microGrids: [MicroGrid]) throws -> [StaffedPlace] {
        let context = try GEOSContext()
        func inside(_ g: Geometry, _ what: String) throws -> Position {
            guard let p = try NativeGeometry(g, in: context).interiorPoint() else {
                throw InputError(
                    rule: "plan.geometry",
                    "\(what) has an empty geometry in the plan; rebuild the plan with `gridplan partition`")
            }
            return p
        }
        var microOf: [String: [(code: String, point: Position)]] = [:]
        for m in microGrids {
            microOf[m.gridCode, default: []].append((m.code, try inside(m.geometry, "micro-grid \(m.code)")))
        }
        return try grids.map { g in
            StaffedPlace(
                gridCode: g.code, unitCode: g.unitCode, kind: g.kind, households: g.households,
                population: g.population,
                point: try inside(g.geometry, "grid \(g.code)"), microGrids: microOf[g.code] ?? [])
        }
    }
}
