import Foundation
import GridPlanTestSupport
import Testing

/// A plan of one town of the Jiangmen demo (by default 沙坪街道, 27 communities of
/// data/jiangmen, real outlines and 2020 census households), partitioned by the CLI into a
/// scratch folder. `town` is the town's 9-digit code prefix.
func jiangmenTownPlan(_ name: String, town prefix: String = "440784001") throws -> (plan: String, folder: URL) {
    let folder = try scratch(name)
    let all =
        try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: CLI.data("jiangmen/villages.geojson")))) as! [String: Any]
    let town = (all["features"] as! [[String: Any]]).filter {
        (($0["properties"] as! [String: Any])["code"] as! String).hasPrefix(prefix)
    }
    let units = folder.appendingPathComponent("units.geojson")
    try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": town]).write(to: units)
    let plan = folder.appendingPathComponent("plan").path
    let p = try CLI.run(["partition", "--units", units.path, "--out", plan, "--no-gaps"])
    #expect(p.status == 0, "\(p.stdout)\(p.stderr)")
    return (plan, folder)
}
