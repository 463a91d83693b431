// swift-tools-version: 6.0
import PackageDescription

/// Hot numeric loops are bounds-checked in debug builds only.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "PoseStudio",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "posestudio", targets: ["posestudio"]),
        .library(name: "PoseEngine", targets: ["PoseEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .systemLibrary(
            name: "CSixel",
            pkgConfig: "libsixel",
            providers: [.apt(["libsixel-dev"])]
        ),
        .target(name: "AtomicFiles"),
        .target(
            name: "PoseEngine",
            dependencies: ["CBLAS", "AtomicFiles"],
            swiftSettings: fastMath
        ),
        .target(
            name: "ImageFiles",
            dependencies: ["CSixel", "AtomicFiles"]
        ),
        .target(
            name: "StudioUI",
            dependencies: [
                "PoseEngine", "ImageFiles", "AtomicFiles", "CNcursesw", "CSixel",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "posestudio",
            dependencies: [
                "PoseEngine", "StudioUI", "ImageFiles", "AtomicFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastMath
        ),
        .testTarget(
            name: "PoseEngineTests",
            dependencies: ["PoseEngine", "ImageFiles", "AtomicFiles"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "StudioUITests",
            dependencies: ["StudioUI", "PoseEngine", "ImageFiles", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
