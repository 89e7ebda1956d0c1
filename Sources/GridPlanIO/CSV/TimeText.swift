import Foundation
import GridPlanModel

/// Times in input files and on the command line.
public enum TimeText {
    /// `2018-09-15 08:00[:ss]` or with a `T`; China Standard Time (or `defaultOffset` hours)
    /// unless it ends with `Z` or an offset.
    public static func parse(_ text: String, defaultOffset: Int = 8) throws -> Date {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
        let pattern = #/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/#
        guard let m = t.wholeMatch(of: pattern), let month = Int(m.2), (1...12).contains(month), let day = Int(m.3),
            (1...31).contains(day),
            let hour = Int(m.4), hour < 24, let minute = Int(m.5), minute < 60, (m.6.flatMap { Int($0) } ?? 0) < 60
        else {
            throw InputError(
                rule: "time.syntax",
                "not a time: \(text) (expected e.g. 2018-09-15 08:00, 2018-09-15T08:00+08:00 or …Z)")
        }
        var offset = defaultOffset * 3_600
        if let zone = m.7 {
            if zone == "Z" {
                offset = 0
            } else {
                let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
                let hours = Int(digits.prefix(2)) ?? 99, minutes = Int(digits.suffix(2)) ?? 99
                // Real UTC offsets run from −12:00 to +14:00.
                guard minutes < 60, hours * 60 + minutes <= 14 * 60 else {
                    throw InputError(
                        rule: "time.offset",
                        "not a real UTC offset: \(zone) in \(text) (offsets run from -12:00 to +14:00)")
                }
                offset = (zone.first == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let zone = TimeZone(secondsFromGMT: offset) else {
            throw InputError(rule: "time.offset", "not a real UTC offset in \(text)")
        }
        calendar.timeZone = zone
        let components = DateComponents(
            year: Int(m.1), month: month, day: day, hour: hour, minute: minute, second: m.6.flatMap { Int($0) } ?? 0)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else {
            throw InputError(rule: "time.syntax", "not a real date: \(text)")
        }
        return date
    }
}
