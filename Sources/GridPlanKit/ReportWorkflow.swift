import Foundation
import GridPlanIO
import GridPlanModel

/// `gridplan report`: one self-contained HTML file for a plan (and its staffing, when given).
public enum ReportWorkflow {
    /// Renders and writes atomically; returns the file size in bytes.
    @discardableResult
    public static func run(
        plan path: String, out: String, staff: String? = nil, generatedAt: Date = Date(),
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> Int {
        let file = try PlanFile.locate(path)
        progress("reading \(file)")
        let store = try PlanStore.open(file)
        let input = PlanReportInput(
            planPath: path, generatedAt: generatedAt, runs: try store.runs(), units: try store.units(),
            grids: try store.grids(),
            microGrids: try store.microGrids(), staffing: try staff.map(readStaffing) ?? store.staffingDigest(),
            mobilisation: try MobilisationDigest.read(store))
        guard !input.grids.isEmpty else {
            throw InputError(file: file, rule: "plan.empty", "the plan has no grids; run `gridplan partition` first")
        }
        progress("drawing \(input.grids.count) grids and \(input.microGrids.count) micro-grids")
        let html = Data(try PlanReport.render(input).utf8)
        let batch = PlanFile.outputs(plan: file, inputs: [])
        defer { batch.discard() }
        try refuseToReplacePlan(out)
        try batch.write(html, to: out)
        try batch.commit(journalIn: PlanFile.folder(of: out))
        return html.count
    }

    /// Refuses to write over any GridPlan plan (a report or export is never a plan).
    static func refuseToReplacePlan(_ out: String) throws {
        if PlanStore.isPlan(out) {
            throw InputError(
                file: out, rule: "output.overwrites-input",
                "is a GridPlan plan, which this output would replace; choose another --out")
        }
    }

    /// Posts filled and vacant per role from a `gridplan staff` output folder.
    static func readStaffing(_ folder: String) throws -> StaffingDigest {
        func table(_ name: String) throws -> (header: [String], rows: [(line: Int, fields: [String])]) {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError(
                    file: path, rule: "file.missing", "no \(name) here; run `gridplan staff --out \(folder)` first")
            }
            let records = try CSVReader.records(data, file: path)
            guard let header = records.first?.fields else {
                throw InputError(file: path, rule: "csv.empty", "the file is empty")
            }
            return (header, Array(records.dropFirst()))
        }
        func column(_ header: [String], _ name: String, _ file: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw InputError(
                    file: folder + "/" + file, rule: "csv.column-missing",
                    "no column \"\(name)\" (is this a gridplan staff output?)")
            }
            return i
        }
        let assignments = try table("assignments.csv")
        let slotRole = try column(assignments.header, "slot_role", "assignments.csv")
        var filled: [StaffRole: Int] = [:]
        for r in assignments.rows where r.fields.count > slotRole {
            if let role = StaffRole(parsing: r.fields[slotRole]) { filled[role, default: 0] += 1 }
        }
        let vacancies = try table("vacancies.csv")
        let grid = try column(vacancies.header, "grid_code", "vacancies.csv"),
            role = try column(vacancies.header, "role", "vacancies.csv")
        let count = try column(vacancies.header, "vacancies", "vacancies.csv"),
            nearest = try column(vacancies.header, "nearest_available", "vacancies.csv")
        var vacant: [StaffRole: Int] = [:]
        var rows: [(grid: String, role: StaffRole, count: Int, nearest: String)] = []
        for r in vacancies.rows where r.fields.count > max(grid, role, count, nearest) {
            guard let parsed = StaffRole(parsing: r.fields[role]), let n = Int(r.fields[count]) else { continue }
            vacant[parsed, default: 0] += n
            rows.append((r.fields[grid], parsed, n, r.fields[nearest]))
        }
        return StaffingDigest(folder: folder, filled: filled, vacant: vacant, vacancies: rows)
    }
}

/// A plan given as a `gridplan partition` output folder or its plan.gpkg.
enum PlanFile {
    static func locate(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        let file =
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path + "/plan.gpkg" : path
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError(file: file, rule: "file.missing", "no plan here; run `gridplan partition --out DIR` first")
        }
        return file
    }

    /// The files `gridplan partition` writes beside its plan.
    static let partitionFiles = ["plan.gpkg", "grids.geojson", "microgrids.geojson", "report.json", "lineage.csv"]

    /// An output batch that refuses to overwrite the plan, the partition's own files beside it,
    /// or any of `inputs`.
    static func outputs(plan file: String, inputs: [String]) -> OutputBatch {
        let batch = OutputBatch()
        let folder = folder(of: file)
        batch.protect(file, because: "the plan")
        for name in partitionFiles {
            batch.protect(folder + "/" + name, because: "a file of the partition beside the plan")
        }
        for input in inputs { batch.protect(input, because: "an input of this command") }
        return batch
    }

    /// The folder of the plan, where a batch that changes the plan keeps its journal.
    static func folder(of file: String) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().path
    }
}
