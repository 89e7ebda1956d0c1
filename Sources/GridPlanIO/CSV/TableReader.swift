import Foundation
import GridPlanGeometry
import GridPlanModel

/// Reads a table (rosters, vessel lists, household figures) from CSV with GridPlan's own reader,
/// or from an Excel (`.xlsx`, `.xls`) or OpenDocument (`.ods`) sheet through GDAL. A workbook
/// with several sheets is read as `book.xlsx:SHEET`. Every record keeps its line: the CSV line,
/// or the sheet's row number, so errors point at what the user sees.
public enum TableReader {
    static let spreadsheetExtensions: Set<String> = ["xlsx", "xls", "ods"]

    /// The header and the rows, each with its line or row number.
    public static func records(_ spec: String) throws -> [(line: Int, fields: [String])] {
        let source = VectorReader.Source(spec)
        guard spreadsheetExtensions.contains(source.ext) else {
            return try CSVReader.records(FileInput.read(spec), file: spec)
        }
        try VectorReader.checkFiles(source, spec: spec)
        let contents: OGRLayerContents
        do {
            contents = try OGRSource.read(path: source.path, layer: source.layer, spreadsheet: true)
        } catch let failure as OGRSourceFailure {
            throw VectorReader.error(failure, spec: spec, source: source, noun: "sheet")
        }
        var records: [(line: Int, fields: [String])] = [(1, contents.fieldNames)]
        for record in contents.features {
            let fields = record.values.map { value -> String in
                switch value {
                case nil: ""
                case .integer(let i)?: String(i)
                case .real(let d)?: PropertyValue.format(d)
                case .text(let t)?: t
                }
            }
            // A spreadsheet row that is empty in every cell is not a record.
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            // GDAL numbers a sheet's features by row (the header is row 1).
            records.append((Int(record.fid), fields))
        }
        return records
    }
}
