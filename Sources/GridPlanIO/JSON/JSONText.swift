import GridPlanModel

/// Appends JSON text to a byte buffer with deterministic formatting.
struct JSONText {
    var bytes: [UInt8] = []

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for u in s.utf8 {
            switch u {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(u >> 4)], hex[Int(u & 15)]])
            default: bytes.append(u)
            }
        }
        bytes.append(0x22)
    }

    /// A number: integers without a fraction, others in Swift's shortest round-trip form;
    /// non-finite values (not representable in JSON) as null.
    mutating func number(_ d: Double) {
        guard d.isFinite else { return raw("null") }
        if d.rounded() == d && abs(d) < 1e15 { return raw(String(Int64(d))) }
        raw("\(d)")
    }

    /// A coordinate with at most `decimals` decimals, trailing zeros trimmed (fixed-point
    /// integer arithmetic: fast and identical on every machine).
    mutating func coordinate(_ d: Double, decimals: Int?) {
        // nil: full precision, Swift's shortest form that reads back to the same double.
        guard let decimals else { return d.isFinite ? raw("\(d)") : raw("null") }
        let scale = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9][min(max(decimals, 0), 9)]
        let scaled = (d * scale).rounded()
        guard scaled.isFinite, abs(scaled) < 9e18 else { return number(d) }
        var n = Int64(scaled)
        if n < 0 {
            bytes.append(UInt8(ascii: "-"))
            n = -n
        }
        let unit = Int64(scale)
        raw(String(n / unit))
        var fraction = n % unit
        if fraction == 0 { return }
        var digits = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        let text = String(fraction)
        for _ in 0..<(digits - text.count) { bytes.append(0x30) }
        raw(text)
    }

    mutating func value(_ v: PropertyValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): raw(b ? "true" : "false")
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                value(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, item)) in members.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                string(key)
                bytes.append(UInt8(ascii: ":"))
                value(item)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
