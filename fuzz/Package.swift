// swift-tools-version:6.0
// libFuzzer harnesses for dit's readers, one small executable per reader. A separate package,
// so `swift build` of the main one never builds them. Built and run by .ci/fuzz:
//   swift build --package-path fuzz -Xswiftc -sanitize=fuzzer,address
import PackageDescription

let harnesses = ["FuzzSafeTensors", "FuzzShardIndex", "FuzzConfig", "FuzzNPY", "FuzzSession"]

let package = Package(
    name: "dit-fuzz",
    dependencies: [.package(name: "dit", path: "..")],
    targets: [.target(name: "FuzzDriver")] + harnesses.map { name in
        .executableTarget(name: name, dependencies: [
            "FuzzDriver",
            .product(name: "DiT", package: "dit"),
            .product(name: "DiTExplorer", package: "dit"),
        ])
    },
    swiftLanguageModes: [.v5]
)
