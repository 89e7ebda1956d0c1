/// Helpers shared by the test targets: seeded randomness, the shared real data, shapes.
import Foundation
import GridPlanGeometry

/// SplitMix64: a tiny seeded generator so randomised tests are reproducible.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The shared real data folder (../shared/data next to the repository).
public enum SharedData {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/GridPlanTestSupport/<file> -> repo root
        return url.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }
}

public func square(_ x: Double, _ y: Double, _ size: Double) -> Geometry {
    .polygon([[
        Position(x: x, y: y), Position(x: x + size, y: y), Position(x: x + size, y: y + size),
        Position(x: x, y: y + size), Position(x: x, y: y),
    ]])
}

/// A lon/lat rectangle with `steps` vertices per edge, so its projected edges follow the
/// parallels and meridians closely.
public func densifiedCell(west: Double, south: Double, east: Double, north: Double, steps: Int = 200) -> Geometry {
    var ring: [Position] = []
    for i in 0..<steps { ring.append(Position(x: west + (east - west) * Double(i) / Double(steps), y: south)) }
    for i in 0..<steps { ring.append(Position(x: east, y: south + (north - south) * Double(i) / Double(steps))) }
    for i in 0..<steps { ring.append(Position(x: east - (east - west) * Double(i) / Double(steps), y: north)) }
    for i in 0..<steps { ring.append(Position(x: west, y: north - (north - south) * Double(i) / Double(steps))) }
    ring.append(ring[0])
    return .polygon([ring])
}

/// Runs a program, returning its exit status and combined output.
public func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
