import Foundation
import GridPlanModel

/// A strict RFC 8259 JSON scanner over raw bytes. It never traps on bad input: every
/// failure is an `InputError` with line and column, nesting is capped (deep "[[[[…" garbage
/// cannot overflow the stack), and strings must be valid UTF-8.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var offset = 0
    private var depth = 0
    static let maximumDepth = 256

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        // A UTF-8 byte order mark is tolerated.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    // MARK: errors

    func error(_ message: String, at position: Int? = nil, rule: String = "json.syntax") -> InputError {
        let at = min(position ?? offset, bytes.count)
        var line = 1, column = 1
        for i in 0..<at {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return InputError(file: file, line: line, column: column, rule: rule, message)
    }

    private func describeCurrent() -> String {
        guard offset < bytes.count else { return "end of file (the JSON is truncated)" }
        let b = bytes[offset]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return String(format: "byte 0x%02X", b)
    }

    // MARK: tokens

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// The next non-space byte, without consuming it; nil at end of input.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw error("expected \(what) but found \(describeCurrent())") }
        offset += 1
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        if peek() == byte {
            offset += 1
            return true
        }
        return false
    }

    mutating func expectEnd() throws {
        if peek() != nil { throw error("unexpected \(describeCurrent()) after the end of the JSON value") }
    }

    mutating func enter() throws {
        depth += 1
        if depth > JSONScanner.maximumDepth {
            throw error("nesting deeper than \(JSONScanner.maximumDepth) levels")
        }
    }

    mutating func leave() { depth -= 1 }

    /// Iterates the members of an object; `body` must consume each member's value.
    mutating func forEachMember(_ body: (inout JSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        try enter()
        defer { leave() }
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            guard peek() == UInt8(ascii: "\"") else {
                throw error("expected a member name but found \(describeCurrent())")
            }
            let key = try string()
            try expect(UInt8(ascii: ":"), "':'")
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}'")
    }

    /// Iterates the elements of an array; `body` must consume each element.
    mutating func forEachElement(_ body: (inout JSONScanner, Int) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "'['")
        try enter()
        defer { leave() }
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        repeat {
            try body(&self, index)
            index += 1
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']'")
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = offset
        var hasEscape = false
        while true {
            guard offset < bytes.count else { throw error("unterminated string", at: start - 1) }
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw error("control character inside a string") }
            if b == UInt8(ascii: "\\") {
                hasEscape = true
                offset += 2
                continue
            }
            offset += 1
        }
        let end = offset
        offset += 1
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !hasEscape {
            guard let s = String(validating: raw, as: UTF8.self) else {
                throw error("invalid UTF-8 in a string", at: start)
            }
            return s
        }
        return try unescape(raw, start: start)
    }

    private func unescape(_ raw: UnsafeBufferPointer<UInt8>, start: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= raw.count else { throw error("bad \\u escape", at: start + at) }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = raw[at + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("bad \\u escape", at: start + at)
                }
                v = v * 16 + d
            }
            return v
        }
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw error("bad escape", at: start + i) }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= raw.count, raw[i] == 0x5C,
                    raw[i + 1] == UInt8(ascii: "u")
                {
                    let low = try hex4(i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("bad escape '\\\(Character(Unicode.Scalar(e)))'", at: start + i - 2)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw error("invalid UTF-8 in a string", at: start)
        }
        return s
    }

    /// A number per the JSON grammar (no NaN, no leading '+', no hex).
    ///
    /// Most coordinates have at most 15 significant digits and a short decimal exponent: their
    /// digits make an integer m below 2⁵³ and the value is m × 10ᵉ or m ÷ 10⁻ᵉ with |e| ≤ 22,
    /// both factors exact, so one correctly rounded operation gives what strtod gives (the
    /// classic fast path of decimal-to-binary conversion). Anything else goes to strtod.
    mutating func number() throws -> Double {
        let (start, digitsEnd) = try scanNumber()
        var mantissa: UInt64 = 0
        var significant = 0
        var fractionDigits = 0
        var inFraction = false
        var k = bytes[start] == UInt8(ascii: "-") ? start + 1 : start
        while k < digitsEnd {
            let b = bytes[k]
            k += 1
            if b == UInt8(ascii: ".") {
                inFraction = true
                continue
            }
            if inFraction { fractionDigits += 1 }
            if mantissa == 0 && b == 0x30 { continue }
            significant += 1
            if significant > 15 { break }
            mantissa = mantissa * 10 + UInt64(b - 0x30)
        }
        if significant <= 15 {
            var exponent = -fractionDigits
            if digitsEnd < offset {
                // The exponent: 'e' or 'E', a sign, digits (a few, or strtod takes it).
                var e = 0, d = digitsEnd + 1
                var negative = false
                if bytes[d] == UInt8(ascii: "+") || bytes[d] == UInt8(ascii: "-") {
                    negative = bytes[d] == UInt8(ascii: "-")
                    d += 1
                }
                if offset - d <= 4 {
                    while d < offset {
                        e = e * 10 + Int(bytes[d] - 0x30)
                        d += 1
                    }
                    exponent += negative ? -e : e
                } else {
                    exponent = Int.max
                }
            }
            if exponent >= -22 && exponent <= 22 {
                let m = Double(mantissa)
                let v = exponent < 0 ? m / Self.powersOfTen[-exponent] : m * Self.powersOfTen[exponent]
                return bytes[start] == UInt8(ascii: "-") ? -v : v
            }
        }
        let length = offset - start  // below 64 (see scanNumber)
        // strtod needs a NUL-terminated copy; the grammar was checked above, so strtod's
        // extensions (hex, inf, nan) cannot be reached.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for k in 0..<length { buffer[k] = CChar(bitPattern: bytes[start + k]) }
            buffer[length] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// 10⁰ … 10²², each exact in a Double.
    private static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { v, _ in v * 10 } }

    /// Checks a number's grammar and moves past it, without converting it: where it starts and
    /// where its exponent ('e' or 'E') starts (the end when it has none).
    private mutating func scanNumber() throws -> (start: Int, exponent: Int) {
        _ = peek()
        let start = offset
        func digits() -> Int {
            let s = offset
            while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 { offset += 1 }
            return offset - s
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let intStart = offset
        let intDigits = digits()
        guard intDigits > 0 else {
            offset = start
            throw error("expected a number but found \(describeCurrent())")
        }
        if intDigits > 1 && bytes[intStart] == 0x30 { throw error("a number cannot have a leading zero", at: start) }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        let exponent = offset
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        if offset - start >= 64 { throw error("number too long", at: start) }
        return (start, exponent)
    }

    mutating func literal(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        for k in 0..<n where bytes[offset + k] != text.utf8Start[k] { return false }
        offset += n
        return true
    }

    /// Any JSON value as a `PropertyValue`.
    mutating func value() throws -> PropertyValue {
        guard let b = peek() else { throw error("expected a value but found end of file (the JSON is truncated)") }
        switch b {
        case UInt8(ascii: "{"):
            var members: [(String, PropertyValue)] = []
            try forEachMember { scanner, key in members.append((key, try scanner.value())) }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [PropertyValue] = []
            try forEachElement { scanner, _ in elements.append(try scanner.value()) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            if literal("true") { return .bool(true) }
        case UInt8(ascii: "f"):
            if literal("false") { return .bool(false) }
        case UInt8(ascii: "n"):
            if literal("null") { return .null }
        case UInt8(ascii: "-"), 0x30...0x39:
            return .number(try number())
        default:
            break
        }
        throw error("expected a value but found \(describeCurrent())")
    }

    /// Skips any value, checking its syntax.
    mutating func skipValue() throws {
        guard let b = peek() else { throw error("expected a value but found end of file (the JSON is truncated)") }
        switch b {
        case UInt8(ascii: "{"): try forEachMember { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "["): try forEachElement { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "-"), 0x30...0x39: _ = try scanNumber()
        default: _ = try value()
        }
    }
}
