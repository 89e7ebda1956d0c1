import GridPlanGeometryValues

/// Turns source features into units and buildings, reporting every value it cannot use
/// (missing, negative, non-numeric, non-integer counts; unknown kinds; wrong geometry types)
/// instead of stopping at the first.
public struct FeatureDecoder: Sendable {
    public var file: String
    public var mapping: FieldMapping
    /// Kind of units whose feature has no kind property; nil means village, with a warning.
    public var defaultKind: UnitKind?

    public init(file: String, mapping: FieldMapping = FieldMapping(), defaultKind: UnitKind? = nil) {
        self.file = file
        self.mapping = mapping
        self.defaultKind = defaultKind
    }

    private func reference(_ feature: SourceFeature, id: String?) -> FeatureReference {
        FeatureReference(index: feature.index, id: id)
    }

    /// A non-negative integer count, or a diagnostic explaining why the value is unusable.
    private func count(
        _ field: FieldMapping.Field, _ feature: SourceFeature, _ ref: FeatureReference,
        into diagnostics: inout [Diagnostic]
    ) -> (value: Int?, present: Bool) {
        let key = mapping[field]
        let name = key == field.rawValue ? key : "\(field.rawValue) (property \(key))"
        guard let raw = feature.properties[key], raw != .null else { return (nil, false) }
        var number: Double?
        switch raw {
        case .number(let d): number = d
        case .string(let s): number = Double(s.trimmingCharacters(in: .whitespaces))
        default: break
        }
        guard let number, number.isFinite else {
            diagnostics.append(
                Diagnostic(
                    .error, rule: "\(field.rawValue).non-numeric", file: file, feature: ref,
                    message: "\(name) is \(raw.display), not a number"))
            return (nil, true)
        }
        guard number >= 0 else {
            diagnostics.append(
                Diagnostic(
                    .error, rule: "\(field.rawValue).negative", file: file, feature: ref,
                    message: "\(name) is \(PropertyValue.format(number)); it cannot be negative"))
            return (nil, true)
        }
        guard number < 1e12 else {
            diagnostics.append(
                Diagnostic(
                    .error, rule: "\(field.rawValue).implausible", file: file, feature: ref,
                    message:
                        "\(name) is \(PropertyValue.format(number)), far more than any unit holds (a count must be "
                        + "below 10¹²); check the value and its column"
                ))
            return (nil, true)
        }
        guard number.rounded() == number else {
            diagnostics.append(
                Diagnostic(
                    .error, rule: "\(field.rawValue).not-integer", file: file, feature: ref,
                    message: "\(name) is \(PropertyValue.format(number)); a count must be a whole number"))
            return (nil, true)
        }
        return (Int(number), true)
    }

    /// A non-negative number up to `limit` (beyond it no real building goes: the tallest have
    /// about 160 storeys and 830 m), or a warning and nil.
    private func real(
        _ field: FieldMapping.Field, _ feature: SourceFeature, _ ref: FeatureReference, limit: Double,
        into diagnostics: inout [Diagnostic]
    ) -> Double? {
        guard let raw = feature.properties[mapping[field]], raw != .null else { return nil }
        var value: Double?
        switch raw {
        case .number(let d) where d.isFinite && d >= 0: value = d
        case .string(let s): if let d = Double(s), d.isFinite, d >= 0 { value = d }
        default: break
        }
        guard let value else {
            diagnostics.append(
                Diagnostic(
                    .warning, rule: "\(field.rawValue).invalid", file: file, feature: ref,
                    message: "\(mapping[field]) is \(raw.display), not a non-negative number; ignored"))
            return nil
        }
        guard value <= limit else {
            diagnostics.append(
                Diagnostic(
                    .warning, rule: "\(field.rawValue).implausible", file: file, feature: ref,
                    message:
                        "\(mapping[field]) is \(raw.display), more than any real building "
                        + "(\(PropertyValue.format(limit))); ignored"
                ))
            return nil
        }
        return value
    }

    private func text(_ field: FieldMapping.Field, _ feature: SourceFeature) -> String? {
        mapping.text(field, of: feature)
    }

    private func checkGeometry(
        _ feature: SourceFeature, _ ref: FeatureReference, allowPoints: Bool,
        into diagnostics: inout [Diagnostic]
    ) -> Geometry? {
        if let problem = feature.geometryProblem {
            diagnostics.append(
                Diagnostic(.error, rule: "geometry.malformed", file: file, feature: ref, message: problem))
            return nil
        }
        guard let geometry = feature.geometry else {
            diagnostics.append(
                Diagnostic(
                    .error, rule: "geometry.missing", file: file, feature: ref, message: "the feature has no geometry"))
            return nil
        }
        guard geometry.isPolygonal || (allowPoints && geometry.isPuntal) else {
            let expected = allowPoints ? "a Point or (Multi)Polygon" : "a Polygon or MultiPolygon"
            diagnostics.append(
                Diagnostic(
                    .error, rule: "geometry.wrong-type", file: file, feature: ref,
                    message: "geometry is a \(geometry.typeName); expected \(expected)"))
            return nil
        }
        // `"coordinates": []` and `[[]]` are empty too: no polygon with an outer ring, no point.
        let empty: Bool
        if case .multiPoint(let points) = geometry {
            empty = points.isEmpty
        } else {
            empty = !geometry.isPuntal && !geometry.polygons.contains(where: { !($0.first ?? []).isEmpty })
        }
        if empty {
            diagnostics.append(
                Diagnostic(.error, rule: "geometry.empty", file: file, feature: ref, message: "the geometry is empty"))
            return nil
        }
        return geometry
    }

    /// Units of a boundaries file. Features that cannot become units are diagnosed and left out.
    public func units(_ features: [SourceFeature]) -> (units: [TerritorialUnit], diagnostics: [Diagnostic]) {
        var units: [TerritorialUnit] = []
        var diagnostics: [Diagnostic] = []
        for feature in features {
            let code = text(.code, feature) ?? feature.id?.identifierText
            let ref = reference(feature, id: code)
            guard let code else {
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "code.missing", file: file, feature: ref,
                        message: "no \(mapping[.code]) property and no feature id; every unit needs a unique code"))
                continue
            }
            var kind = defaultKind ?? .village
            if let kindText = text(.kind, feature) {
                if let parsed = UnitKind(parsing: kindText) {
                    kind = parsed
                } else {
                    let known = UnitKind.allCases.map(\.rawValue).joined(separator: ", ")
                    diagnostics.append(
                        Diagnostic(
                            .error, rule: "kind.unknown", file: file, feature: ref,
                            message: "\(mapping[.kind]) \"\(kindText)\" is not a unit kind (\(known))"))
                    continue
                }
            } else if defaultKind == nil {
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "kind.missing", file: file, feature: ref,
                        message: "no \(mapping[.kind]) property; treated as a village (set another with --kind)"))
            }
            let households = count(.households, feature, ref, into: &diagnostics)
            let population = count(.population, feature, ref, into: &diagnostics)
            if kind.isResidential {
                if !households.present && !population.present {
                    diagnostics.append(
                        Diagnostic(
                            .error, rule: "households.missing", file: file, feature: ref,
                            message:
                                "a \(kind.rawValue) needs \(mapping[.households]) or \(mapping[.population]); both "
                                + "are missing"
                        ))
                } else if !households.present {
                    diagnostics.append(
                        Diagnostic(
                            .warning, rule: "households.missing", file: file, feature: ref,
                            message: "\(mapping[.households]) is missing; it will be estimated from population"))
                } else if !population.present {
                    diagnostics.append(
                        Diagnostic(
                            .warning, rule: "population.missing", file: file, feature: ref,
                            message: "\(mapping[.population]) is missing; it will be estimated from households"))
                }
            }
            var urban: Bool?
            if let raw = feature.properties[mapping[.urban]], raw != .null {
                switch raw {
                case .bool(let b): urban = b
                case .number(let d) where d == 0 || d == 1: urban = d == 1
                case .string(let s) where ["true", "urban", "城镇", "1"].contains(s.lowercased()): urban = true
                case .string(let s) where ["false", "rural", "乡村", "0"].contains(s.lowercased()): urban = false
                default:
                    diagnostics.append(
                        Diagnostic(
                            .warning, rule: "urban.invalid", file: file, feature: ref,
                            message:
                                "\(mapping[.urban]) is \(raw.display); expected true/false; default for "
                                + "\(kind.rawValue) used"
                        ))
                }
            }
            if let parent = text(.parent, feature), parent == code {
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "unit.own-parent", file: file, feature: ref,
                        message:
                            "\(mapping[.parent]) is \(parent), the unit's own code; give the code of the town or "
                            + "county it lies in, or leave it empty"
                    ))
                continue
            }
            guard let geometry = checkGeometry(feature, ref, allowPoints: false, into: &diagnostics) else { continue }
            units.append(
                TerritorialUnit(
                    code: code, name: text(.name, feature) ?? "", kind: kind, parent: text(.parent, feature),
                    households: households.value, population: population.value, urban: urban,
                    homePort: kind == .maritime ? text(.homePort, feature) : nil, geometry: geometry,
                    sourceIndex: feature.index))
        }
        return (units, diagnostics)
    }

    /// Buildings (points or footprints).
    public func buildings(_ features: [SourceFeature]) -> (buildings: [Building], diagnostics: [Diagnostic]) {
        var buildings: [Building] = []
        var diagnostics: [Diagnostic] = []
        for feature in features {
            let id = text(.id, feature) ?? feature.id?.identifierText ?? "#\(feature.index)"
            let ref = reference(feature, id: id)
            let households = count(.households, feature, ref, into: &diagnostics)
            let population = count(.population, feature, ref, into: &diagnostics)
            let levels = real(.levels, feature, ref, limit: 300, into: &diagnostics)
            let height = real(.height, feature, ref, limit: 1_000, into: &diagnostics)
            guard let geometry = checkGeometry(feature, ref, allowPoints: true, into: &diagnostics) else { continue }
            buildings.append(
                Building(
                    id: id, geometry: geometry, households: households.value, population: population.value,
                    levels: levels, height: height, sourceIndex: feature.index))
        }
        return (buildings, diagnostics)
    }
}
