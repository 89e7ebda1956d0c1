// swift-tools-version:6.0
import PackageDescription

// Layers import only downward; each layer is its own module so the compiler enforces it:
//   GridPlanGeometryValues (pure Swift: positions, boxes, STR tree, CRS names, GCJ-02, faces)
//   CGEOS, CPROJ, CGDAL -> GridPlanGeometry (GEOS, PROJ and GDAL, the only C) -> GridPlanEngines
//   GridPlanGeometryValues -> GridPlanModel (no C: it cannot import GridPlanGeometry) -> GridPlanEngines
//   -> GridPlanIO -> GridPlanKit (workflows: one function per command) -> gridplan (CLI: parse, call, print)
let package = Package(
    name: "GridPlan",
    products: [
        .executable(name: "gridplan", targets: ["gridplan"]),
        .library(
            name: "GridPlanKit",
            targets: [
                "GridPlanKit", "GridPlanIO", "GridPlanEngines", "GridPlanModel", "GridPlanGeometry",
                "GridPlanGeometryValues",
            ]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System C libraries; headers and link flags come from pkg-config (Debian -dev packages).
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // GDAL's C API (OGR): Shapefile, GeoPackage, File Geodatabase, KML, spreadsheets. Its
        // headers are needed to build (libgdal-dev); the library is opened on first use.
        .target(name: "CGDAL", linkerSettings: [.linkedLibrary("dl")]),
        // Geometry as Swift values, with no C library: what the model is made of.
        .target(name: "GridPlanGeometryValues"),
        // The only module that touches C pointers (GEOS, PROJ, GDAL).
        .target(name: "GridPlanGeometry", dependencies: ["GridPlanGeometryValues", "CGEOS", "CPROJ", "CGDAL"]),
        // Value types of the territory; no I/O, no C (it does not depend on GridPlanGeometry).
        .target(name: "GridPlanModel", dependencies: ["GridPlanGeometryValues"]),
        // Pure functions over the model, one algorithm per file.
        .target(
            name: "GridPlanEngines", dependencies: ["GridPlanModel", "GridPlanGeometry", "GridPlanGeometryValues"]),
        // GeoJSON, GeoPackage plan store (GRDB), CSV, reports.
        .target(
            name: "GridPlanIO",
            dependencies: [
                "GridPlanEngines", "GridPlanModel", "GridPlanGeometry", "GridPlanGeometryValues",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The HTML report's style sheet and script (ReportAssets reads them).
            resources: [.copy("Reports/Assets")]
        ),
        // HTTP: `gridplan serve`, the plan's live operations server (Hummingbird), over the plan store.
        .target(
            name: "GridPlanServer",
            dependencies: [
                "GridPlanIO", "GridPlanEngines", "GridPlanModel", "GridPlanGeometryValues",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The worker and command pages and the OpenAPI document.
            resources: [.copy("Assets")]
        ),
        // One function per command, used by the CLI and by end-to-end tests.
        .target(
            name: "GridPlanKit",
            dependencies: [
                "GridPlanServer", "GridPlanIO", "GridPlanEngines", "GridPlanModel", "GridPlanGeometry",
                "GridPlanGeometryValues",
            ]
        ),
        // The CLI parses arguments and calls GridPlanKit, the one module it imports
        // (check_layers.py fails on any other import).
        .executableTarget(
            name: "gridplan",
            dependencies: [
                "GridPlanKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release binary carries the Swift runtime and Foundation: loading them as shared
            // libraries cost ~5-15 ms a run of a 2,000-building partition (docs/performance.md).
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
        ),
        .target(
            name: "GridPlanTestSupport", dependencies: ["GridPlanGeometry", "GridPlanGeometryValues"],
            path: "Tests/GridPlanTestSupport"
        ),
        .testTarget(
            name: "GridPlanGeometryTests",
            dependencies: ["GridPlanGeometry", "GridPlanGeometryValues", "GridPlanTestSupport"]
        ),
        .testTarget(name: "GridPlanModelTests", dependencies: ["GridPlanModel", "GridPlanGeometryValues"]),
        .testTarget(
            name: "GridPlanEnginesTests",
            dependencies: [
                "GridPlanEngines", "GridPlanIO", "GridPlanModel", "GridPlanGeometry", "GridPlanGeometryValues",
                "GridPlanTestSupport",
            ]
        ),
        .testTarget(
            name: "GridPlanIOTests",
            dependencies: [
                "GridPlanIO", "GridPlanModel", "GridPlanGeometry", "GridPlanGeometryValues", "GridPlanTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "GridPlanKitTests",
            dependencies: [
                "GridPlanKit", "gridplan", "GridPlanServer", "GridPlanGeometry", "GridPlanGeometryValues",
                "GridPlanModel", "GridPlanTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
