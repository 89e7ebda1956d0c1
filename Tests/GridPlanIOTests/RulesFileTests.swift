import GridPlanModel
import Testing

@testable import GridPlanIO

@Suite struct RulesFileTests {
    @Test func overridesKeepTheirProvenance() throws {
        let rules = try RulesFile.parse(
            """
            # a city's own norms
            [urban]
            households_max = 450  # 某市网格划分办法 第5条
            residents_max = 2_000

            [coverage]
            tolerance_m2 = 0.5
            """, file: "city.toml")
        #expect(rules.urbanHouseholdsMax == Norm(450, "rules file city.toml, line 3: 某市网格划分办法 第5条"))
        #expect(
            rules.urbanResidentsMax.value == 2000
                && rules.urbanResidentsMax.provenance == "rules file city.toml, line 4")
        #expect(rules.coverageTolerance.value == 0.5)
        #expect(rules.urbanHouseholdsMin == PartitionRules().urbanHouseholdsMin)  // untouched keeps the default
    }

    @Test func mistakesNameTheLine() {
        let cases: [(String, String, Int)] = [
            ("[urban]\nhouseholds_maxx = 1", "rules.unknown-key", 2),
            ("[urban]\nhouseholds_max = lots", "rules.value", 2),
            ("[urban]\nhouseholds_max = 2.5", "rules.value", 2),
            ("[urban]\nhouseholds_max = 400\nhouseholds_max = 450", "rules.duplicate", 3),
            ("[urban\nhouseholds_max = 1", "rules.syntax", 1),
            ("households_max", "rules.syntax", 1),
            // Every kind of rules names the same mistake the same way.
            ("[staff.leader]\nper_grids = 1", "rules.unknown-key", 2),
            ("[staff.leader]\nper_grid = -1", "rules.value", 2),
            ("[staff.nobody]\nper_grid = 1", "rules.unknown-key", 2),
            ("[testing]\nno_such_rule = 1", "rules.unknown-key", 2),
            ("[testing]\ntables_per_site = -3", "rules.value", 2),
            ("[recall]\nno_such_rule = 1", "rules.unknown-key", 2),
            ("[recall]\nlead_hours = -1", "rules.value", 2),
        ]
        for (text, rule, line) in cases {
            do {
                _ = try RulesFile.parse(text, file: "r.toml")
                Issue.record("accepted: \(text)")
            } catch let e as InputError {
                #expect(e.rule == rule && e.line == line, "\(text): \(e)")
            } catch {
                Issue.record("\(error)")
            }
        }
        #expect(throws: InputError.self) {
            _ = try RulesFile.parse(
                "[urban]\nhouseholds_min = "
                    + "600", file: "r.toml")
        }  // min > max
    }

    @Test func templateReadsBackAsTheDefaults() throws {
        let rules = try RulesFile.parse(RulesFile.template(), file: "t.toml")
        #expect(rules.described.map(\.value) == PartitionRules().described.map(\.value))
    }
}
