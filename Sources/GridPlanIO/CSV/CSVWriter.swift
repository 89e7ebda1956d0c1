import Foundation

/// RFC 4180 CSV: fields with commas, quotes or line breaks are quoted (quotes doubled), lines
/// end with CRLF. `byteOrderMark` makes Excel and WPS read UTF-8 (Chinese names) correctly.
public struct CSVWriter: Sendable {
    public var byteOrderMark: Bool

    public init(byteOrderMark: Bool = false) {
        self.byteOrderMark = byteOrderMark
    }

    public func encode(header: [String], rows: [[String]]) -> Data {
        var text = ""
        for row in [header] + rows {
            text += row.map(Self.field).joined(separator: ",") + "\r\n"
        }
        return (byteOrderMark ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8)
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func write(header: [String], rows: [[String]], to path: String) throws {
        try AtomicFile.write(encode(header: header, rows: rows), to: path)
    }
}
