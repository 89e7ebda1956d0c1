import Foundation
import GridPlanTestSupport
import Testing

/// A short seeded run of the fuzzing harness (notebooks-free-scripts/fuzz.py): mutated inputs of
/// every kind, damaged plans, odd arguments, kill -9 while outputs are replaced and a full disk
/// (when a tmpfs can be mounted). Any crash, hang or data loss fails it; the README's
/// reliability section gives the figures of a long run.
@Suite struct FuzzHarnessTests {
    @Test(.enabled(if: Tool.python, "needs python3 (setup.sh installs it)"))
    func aShortSeededRunFindsNoCrashHangOrDataLoss() throws {
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/fuzz.py").path
        let r = try runProgram(
            "/usr/bin/env",
            [
                "python3", script, "--cases", "40", "--kills", "4", "--full", "3", "--seed", "1", "--timeout", "120",
                "--binary", CLI.binary,
            ])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("crashes 0, hangs 0, data-loss 0"), "\(r.output)")
    }
}
