import GridPlanGeometryValues

/// A line that grid boundaries should follow where they can: a road, a river, a railway.
/// Polygons (a river drawn as an area, a walled compound) act through their outlines.
public struct Barrier: Sendable, Equatable {
    public var id: String
    /// Lon/lat polylines, one per part.
    public var lines: [[Position]]
    public var sourceIndex: Int

    public init(id: String, lines: [[Position]], sourceIndex: Int) {
        self.id = id
        self.lines = lines
        self.sourceIndex = sourceIndex
    }

    /// The polylines of a lineal or polygonal geometry (rings become closed lines); nil for points.
    public static func lines(of geometry: Geometry) -> [[Position]]? {
        switch geometry {
        case .lineString(let line): return [line]
        case .multiLineString(let lines): return lines
        case .polygon(let rings): return rings
        case .multiPolygon(let polygons): return polygons.flatMap { $0 }
        case .collection(let members):
            var all: [[Position]] = []
            for m in members {
                guard let lines = lines(of: m) else { return nil }
                all += lines
            }
            return all
        case .point, .multiPoint: return nil
        }
    }
}

extension FeatureDecoder {
    /// Barriers of a lines file. Points, empty and degenerate lines are diagnosed and left out.
    public func barriers(_ features: [SourceFeature]) -> (barriers: [Barrier], diagnostics: [Diagnostic]) {
        var barriers: [Barrier] = []
        var diagnostics: [Diagnostic] = []
        for feature in features {
            let id =
                feature.properties[mapping[.id]]?.identifierText ?? feature.id?.identifierText ?? "#\(feature.index)"
            let ref = FeatureReference(index: feature.index, id: id)
            if let problem = feature.geometryProblem {
                diagnostics.append(
                    Diagnostic(.error, rule: "geometry.malformed", file: file, feature: ref, message: problem))
                continue
            }
            guard let geometry = feature.geometry else {
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "geometry.missing", file: file, feature: ref,
                        message: "the feature has no geometry"))
                continue
            }
            guard let lines = Barrier.lines(of: geometry) else {
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "geometry.wrong-type", file: file, feature: ref,
                        message:
                            "geometry is a \(geometry.typeName); a barrier is a (Multi)LineString or (Multi)Polygon"))
                continue
            }
            // A line needs two distinct positions to bound anything.
            let usable = lines.filter { line in line.contains { $0 != line[0] } }
            guard !usable.isEmpty else {
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "geometry.empty", file: file, feature: ref,
                        message: "the geometry has no line with two distinct positions"))
                continue
            }
            barriers.append(Barrier(id: id, lines: usable, sourceIndex: feature.index))
        }
        return (barriers, diagnostics)
    }
}
