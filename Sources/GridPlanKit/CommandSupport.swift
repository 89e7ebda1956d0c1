import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// What the command-line front end needs besides the workflows: options built from raw flag
/// values, the texts it prints, and errors in words. The CLI imports GridPlanKit alone, so
/// every rule of reading, checking and wording stays below it.
public enum CommandSupport {
    /// The check's tolerances from `--tolerance`, `--no-gaps` and `--repair`.
    public static func checkOptions(tolerance: Double, checkGaps: Bool, repair: Bool) -> CheckOptions {
        CheckOptions(areaTolerance: tolerance, checkGaps: checkGaps, repair: repair)
    }

    /// The CRS named by `--crs` (nil: WGS84 lon/lat).
    public static func crs(_ text: String?) throws -> CRS? {
        try InputOptions(crs: text, fields: []).crs
    }

    /// The rules of `--rules FILE`, or the defaults without one.
    public static func partitionRules(_ path: String?) throws -> PartitionRules {
        try path.map { try RulesFile.read($0).partition } ?? PartitionRules()
    }
    public static func staffingRules(_ path: String?) throws -> StaffingRules {
        try path.map { try RulesFile.read($0).staffing } ?? StaffingRules()
    }
    public static func testingRules(_ path: String?) throws -> TestingRules {
        try path.map { try RulesFile.read($0).testing } ?? TestingRules()
    }
    public static func recallRules(_ path: String?) throws -> RecallRules {
        try path.map { try RulesFile.read($0).recall } ?? RecallRules()
    }

    /// The default rules as a TOML file, each value with its source (`gridplan rules`).
    public static func rulesTemplate() -> String { RulesFile.template() }

    /// A check report as text (or as JSON with `json`).
    public static func checkText(_ report: CheckReport, json: Bool = false) -> String {
        json ? CheckReportRenderer.json(report) : CheckReportRenderer.text(report)
    }

    /// The summary `gridplan partition` prints.
    public static func partitionSummary(_ result: PartitionResult, out: String) -> String {
        PartitionWriter.summaryText(result, out: out)
    }

    /// The summary `gridplan staff` prints.
    public static func staffSummary(_ result: StaffingResult, out: String, hasCurrent: Bool) -> String {
        StaffingWriter.summaryText(result, out: out, hasCurrent: hasCurrent)
    }

    /// An input error about the command's arguments (exit 2), e.g. an empty `--layers`.
    public static func argumentError(_ rule: String, _ message: String) -> Error {
        InputError(rule: "arguments." + rule, message)
    }

    /// An error in words for standard error: input errors with their file, row and rule;
    /// anything else as a planner can act on it (no raw SQLite or Cocoa text).
    public static func describe(_ error: Error) -> String {
        error is InputError ? "\(error)" : StorageFailure.describe(error)
    }
}

// The types the command line names, as GridPlanKit's own: options it builds, reports it reads
// and the events it records. One name each, defined in the layer that owns it.
public typealias CheckOptions = GridPlanEngines.CheckOptions
public typealias CheckReport = GridPlanEngines.CheckReport
public typealias PartitionOptions = GridPlanEngines.PartitionOptions
public typealias PartitionEngineKind = GridPlanEngines.PartitionEngineKind
public typealias RecallEvent = GridPlanModel.RecallEvent
public typealias RecallEventKind = GridPlanModel.RecallEventKind
public typealias TestingCount = GridPlanModel.TestingCount
