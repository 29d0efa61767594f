// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dit", targets: ["dit"]),
        .library(name: "DiT", targets: ["DiT"]),
        // For fuzz/ (the session reader); the explorer's logic without a terminal.
        .library(name: "DiTExplorer", targets: ["DiTExplorer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries: OpenBLAS (cblas) and ncursesw (through a small C shim, since
        // Swift cannot call curses' function-like macros).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        // giflib (Debian's libgif-dev) for animated GIF exports; plain C, errors as return codes.
        .systemLibrary(name: "CGIF", pkgConfig: "libgif",
                       providers: [.apt(["libgif-dev"])]),
        .target(name: "CNcurses",
                cSettings: [.define("_XOPEN_SOURCE_EXTENDED"), .define("_DEFAULT_SOURCE")],
                linkerSettings: [.linkedLibrary("ncursesw")]),
        // AVX2 small-M GEMM (runtime-checked), for Linear layers over few tokens.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // Numerics only: no terminal code.
        .target(name: "DiT", dependencies: ["COpenBLAS", "CPNG", "CGIF", "CKernels"]),
        // Pure rendering: images, heatmaps, patch grids -> cell canvas.
        .target(name: "DiTRender"),
        // Explorer state, actions, update, views, background sampler worker.
        .target(name: "DiTExplorer", dependencies: ["DiT", "DiTRender"]),
        .executableTarget(name: "dit", dependencies: [
            "DiT", "DiTRender", "DiTExplorer", "CNcurses",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "DiTTests", dependencies: ["DiT"],
                    resources: [.copy("Fixtures")]),
        // What several test targets share: the standard decoders of exported files.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DiTRenderTests", dependencies: ["DiTRender", "TestSupport"]),
        .testTarget(name: "DiTExplorerTests", dependencies: ["DiTExplorer", "DiT", "DiTRender", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        // Drives the built `dit` binary: parity through the CLI, exit codes and messages.
        .testTarget(name: "DiTCLITests", dependencies: ["dit", "DiT", "DiTExplorer"]),
    ],
    swiftLanguageModes: [.v5]
)
