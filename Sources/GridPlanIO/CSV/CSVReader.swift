import Foundation
import GridPlanModel

/// RFC 4180 CSV reading: quoted fields (with commas, doubled quotes and line breaks), CRLF or
/// LF, a UTF-8 byte-order mark (Excel, WPS) skipped. Each record keeps the line it starts on.
public enum CSVReader {
    public static func records(_ data: Data, file: String) throws -> [(line: Int, fields: [String])] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw InputError(
                file: file, rule: "csv.encoding", "the file is not UTF-8 text (save it from Excel/WPS as \"CSV UTF-8\")"
            )
        }
        var out: [(Int, [String])] = []
        var field = "", fields: [String] = [], inQuotes = false, line = 1, recordLine = 1, afterQuote = false
        var chars = Array(text.unicodeScalars)[...]
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { out.append((recordLine, fields)) }
            fields = []
            field = ""
        }
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                if chars.first == "\n" { continue }
                fallthrough
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                if afterQuote {
                    throw InputError(
                        file: file, line: line, rule: "csv.syntax",
                        "text after a closing quote; a quote inside a field is written \"\"")
                }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            throw InputError(file: file, line: recordLine, rule: "csv.syntax", "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return out
    }
}
