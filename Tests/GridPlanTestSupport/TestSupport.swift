/// Helpers shared by the test targets: seeded randomness, the bundled real data, shapes.
import Foundation
import GridPlanGeometryValues

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

/// The real source files bundled in the repository (`data/real`, sources and licences in
/// `data/SOURCES.md`).
public enum RealData {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/GridPlanTestSupport/<file> -> repo root
        return url.appendingPathComponent("data/real")
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}

/// Files kept for tests under `Tests/Fixtures`.
public enum TestFixtures {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }  // Tests/GridPlanTestSupport/<file> -> Tests
        return url.appendingPathComponent("Fixtures")
    }()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}

public func square(_ x: Double, _ y: Double, _ size: Double) -> Geometry {
    .polygon([
        [
            Position(x: x, y: y), Position(x: x + size, y: y), Position(x: x + size, y: y + size),
            Position(x: x, y: y + size), Position(x: x, y: y),
        ]
    ])
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

/// Optional tools that some tests use as independent checkers. A test that needs one is
/// enabled only when it is present (`@Test(.enabled(if: Tool.gdal, "…"))`), so a machine without
/// it skips the test with the reason instead of failing it. `GRIDPLAN_TESTS_HIDE_TOOLS=python,gdal`
/// makes the tests behave as if those tools were missing (to check the skips themselves).
public enum Tool {
    static let hidden = Set(
        (ProcessInfo.processInfo.environment["GRIDPLAN_TESTS_HIDE_TOOLS"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        })

    /// `python3` with shapely, pyproj, scipy and numpy (setup.sh installs them).
    public static let python: Bool = {
        guard !hidden.contains("python") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import shapely, pyproj, scipy, numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// GDAL's `ogrinfo` and `ogr2ogr` (Debian gdal-bin; setup.sh installs it).
    public static let gdal: Bool = {
        guard !hidden.contains("gdal") else { return false }
        return ["ogrinfo", "ogr2ogr"].allSatisfy { FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0)") }
    }()

    /// Node.js, used only to syntax-check the report's script (`node --check`).
    public static let node: Bool = {
        guard !hidden.contains("node") else { return false }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/node")
    }()
}

/// Scratch folders for tests, all removed when the test process exits (keep them for a look
/// with GRIDPLAN_KEEP_TEST_FILES=1): a test run leaves nothing behind in the temporary folder.
public enum ScratchFolders {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [URL] = []
    nonisolated(unsafe) private static var registered = false

    /// A new empty folder named after `prefix`.
    public static func make(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        lock.withLock {
            made.append(url)
            if !registered {
                registered = true
                atexit { ScratchFolders.removeAll() }
            }
        }
        return url
    }

    static func removeAll() {
        guard ProcessInfo.processInfo.environment["GRIDPLAN_KEEP_TEST_FILES"] != "1" else { return }
        for url in lock.withLock({ made }) { try? FileManager.default.removeItem(at: url) }
    }
}
