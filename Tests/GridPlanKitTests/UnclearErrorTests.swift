import Foundation
import GridPlanTestSupport
import Testing

/// Errors that were misleading or silent (issue 15): each now names the file, feature, row or
/// option, what is wrong and how to go on.
@Suite struct UnclearErrorTests {
    let community = HostileInputTests.fixture("community.geojson")

    func plan(_ name: String) throws -> String {
        let out = try scratch(name).path + "/plan"
        #expect(try CLI.run(["partition", "--units", community, "--out", out]).status == 0)
        return out
    }

    func variant(_ name: String, _ replace: (String) -> String) throws -> String {
        try write(
            replace(try String(contentsOfFile: community, encoding: .utf8)), try scratch("unclear-" + name),
            name + ".geojson")
    }

    @Test func unitsThatCannotBeRightAreNamed() throws {
        let own = try variant("own-parent") {
            $0.replacingOccurrences(
                of: "\"kind\":\"community\"", with: "\"kind\":\"community\",\"parent\":\"440703001001\"")
        }
        let r1 = try CLI.run(["check", own])
        #expect(
            r1.status == 1 && r1.stdout.contains("error [unit.own-parent] parent is 440703001001, the unit's own code"),
            "\(r1.stdout)")
        let huge = try variant("huge-households") {
            $0.replacingOccurrences(of: "\"households\":800", with: "\"households\":1e15")
        }
        let r2 = try CLI.run(["check", huge])
        #expect(
            r2.status == 1 && r2.stdout.contains("[households.implausible]") && !r2.stdout.contains("whole number"),
            "\(r2.stdout)")
        let world = try write(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"code\":\"1\",\"name\":\"w\",\"kind\":\"community\",\"households\":100},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}}]}",
            try scratch("unclear-world"), "world.geojson")
        let r3 = try CLI.run(["partition", "--units", world, "--out", world + ".out"])
        #expect(
            r3.status == 1 && r3.stdout.contains("[unit.too-large] spans 360.0° × 180.0°")
                && !r3.stderr.contains("PROJ"), "\(r3.stdout)\(r3.stderr)")
    }

    @Test func lonLatReadAsMetresIsRefused() throws {
        let r = try CLI.run(["check", community, "--crs", "EPSG:4547"])
        #expect(
            r.status == 2 && r.stdout.contains("[crs.looks-lonlat]") && r.stdout.contains("leave out --crs"),
            "\(r.stdout)\(r.stderr)")
        // A geographic CRS with degrees is fine.
        #expect(try CLI.run(["check", community, "--crs", "EPSG:4490"]).status == 0)
        let p = try plan("crs-roster")
        let staffed = try CLI.run([
            "staff", "--plan", p, "--roster", HostileInputTests.fixture("roster.csv"), "--crs", "EPSG:4547", "--out",
            p + "/../s",
        ])
        #expect(
            staffed.status == 2 && staffed.stderr.contains("roster.csv") && staffed.stderr.contains("crs.looks-lonlat"),
            "\(staffed.stderr)")
    }

    @Test func filesThatAreNotUTF8TextOrNotFilesAreNamed() throws {
        let folder = try scratch("unclear-files")
        let utf16 = folder.appendingPathComponent("units.geojson")
        try (try String(contentsOfFile: community, encoding: .utf8)).data(using: .utf16)!.write(to: utf16)
        let r1 = try CLI.run(["check", utf16.path])
        #expect(r1.status == 2 && r1.stdout.contains("[file.encoding] is UTF-16"), "\(r1.stdout)")
        let fifo = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let r2 = try CLI.run(["check", fifo])
        #expect(
            r2.status == 2 && r2.stdout.contains("[file.not-regular]") && !r2.stdout.contains("permission"),
            "\(r2.stdout)")
        // Writing onto a device or pipe would replace it with a plain file.
        let p = try plan("unclear-special")
        let r3 = try CLI.run(["report", "--plan", p, "--out", fifo])
        #expect(r3.status == 2 && r3.stderr.contains("is not a regular file"), "\(r3.stderr)")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    }

    @Test func rosterAndCurrentAssignmentsProblemsAreSaid() throws {
        let p = try plan("unclear-roster")
        let roster = try String(contentsOfFile: HostileInputTests.fixture("roster.csv"), encoding: .utf8)
        let lines = roster.split(separator: "\n").map(String.init)
        let folder = try scratch("unclear-roster-files")
        let joined = try write(([lines[0]] + lines + [""]).joined(separator: "\n"), folder, "joined.csv")
        let r1 = try CLI.run(["staff", "--plan", p, "--roster", joined, "--out", p + "/../a"])
        #expect(r1.status == 1 && r1.stdout.contains("joined.csv:2: error [roster.header-repeated]"), "\(r1.stdout)")
        let twice = try write(
            ([lines[0] + ",id"] + lines.dropFirst().map { $0 + ",X" } + [""]).joined(separator: "\n"), folder,
            "twice.csv")
        let r2 = try CLI.run(["staff", "--plan", p, "--roster", twice, "--out", p + "/../b"])
        #expect(r2.status == 2 && r2.stderr.contains("the header names id in columns 1 and 10"), "\(r2.stderr)")
        let current = try write(
            "person_id,grid_code,slot_role\nP1,440703001001001,leader\nGONE,440703001001001,full_time\nP2,440703001001999,full_time\n",
            folder, "current.csv")
        let r3 = try CLI.run([
            "staff", "--plan", p, "--roster", HostileInputTests.fixture("roster.csv"), "--current", current, "--out",
            p + "/../c",
        ])
        #expect(
            r3.status == 0
                && r3.stdout.contains("current.csv:3: warning [current.person-unknown] GONE is not in the roster")
                && r3.stdout.contains(
                    "current.csv:4: warning [current.grid-unknown] grid 440703001001999 is not in the plan"),
            "\(r3.stdout)\(r3.stderr)")
        let r4 = try CLI.run([
            "export", "--plan", p, "--format", "csv", "--staff", p + "/../nothing", "--out", p + "/../d",
        ])
        #expect(r4.status == 2 && r4.stderr.contains("--staff") && r4.stderr.contains("--format html"), "\(r4.stderr)")
    }

    @Test func aNegativeEnginePowerIsNamed() throws {
        let p = try plan("unclear-hp")
        let vessels = try write(
            "id,name,home_unit,owner,phone,crew,hp,power_kw,lon,lat,speed_kn,fix_time\nV1,one,440703001001,o,1,3,-10,,113.03,22.46,8,2026-09-15 10:00\n",
            try scratch("unclear-hp-files"), "vessels.csv")
        let r = try CLI.run([
            "recall", "--plan", p, "--vessels", vessels, "--ports", HostileInputTests.fixture("ports.geojson"),
            "--landfall", "2026-09-16T17:00",
            "--now", "2026-09-15T11:00", "--out", p + "/../r",
        ])
        #expect(
            r.status == 2 && r.stderr.contains("vessels.csv")
                && r.stderr.contains("engine power hp -10 must be a positive number"), "\(r.stderr)")
    }
}
