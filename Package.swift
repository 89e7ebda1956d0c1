// swift-tools-version:6.0
import PackageDescription

// Layers import only downward; each layer is its own module so the compiler enforces it:
//   CGEOS, CPROJ -> GridPlanGeometry -> GridPlanModel -> GridPlanEngines -> GridPlanIO
//   -> GridPlanKit (workflows: one function per command) -> gridplan (CLI: parse, call, print)
let package = Package(
    name: "GridPlan",
    products: [
        .executable(name: "gridplan", targets: ["gridplan"]),
        .library(
            name: "GridPlanKit",
            targets: ["GridPlanKit", "GridPlanIO", "GridPlanEngines", "GridPlanModel", "GridPlanGeometry"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System C libraries; headers and link flags come from pkg-config (Debian -dev packages).
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // The only module that touches C pointers.
        .target(name: "GridPlanGeometry", dependencies: ["CGEOS", "CPROJ"]),
        // Value types of the territory; no I/O, no C.
        .target(name: "GridPlanModel", dependencies: ["GridPlanGeometry"]),
        // Pure functions over the model, one algorithm per file.
        .target(name: "GridPlanEngines", dependencies: ["GridPlanModel", "GridPlanGeometry"]),
        // GeoJSON, GeoPackage plan store (GRDB), CSV, reports.
        .target(
            name: "GridPlanIO",
            dependencies: [
                "GridPlanEngines", "GridPlanModel", "GridPlanGeometry",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // One function per command, used by the CLI and by end-to-end tests.
        .target(
            name: "GridPlanKit",
            dependencies: ["GridPlanIO", "GridPlanEngines", "GridPlanModel", "GridPlanGeometry"]
        ),
        // The CLI parses arguments and calls GridPlanKit, the one module it imports
        // (check_layers.py fails on any other import).
        .executableTarget(
            name: "gridplan",
            dependencies: [
                "GridPlanKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "GridPlanTestSupport", dependencies: ["GridPlanGeometry"], path: "Tests/GridPlanTestSupport"),
        .testTarget(name: "GridPlanGeometryTests", dependencies: ["GridPlanGeometry", "GridPlanTestSupport"]),
        .testTarget(name: "GridPlanModelTests", dependencies: ["GridPlanModel", "GridPlanGeometry"]),
        .testTarget(
            name: "GridPlanEnginesTests",
            dependencies: ["GridPlanEngines", "GridPlanIO", "GridPlanModel", "GridPlanGeometry", "GridPlanTestSupport"]
        ),
        .testTarget(
            name: "GridPlanIOTests",
            dependencies: [
                "GridPlanIO", "GridPlanModel", "GridPlanGeometry", "GridPlanTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "GridPlanKitTests",
            dependencies: [
                "GridPlanKit", "gridplan", "GridPlanGeometry", "GridPlanModel", "GridPlanTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
