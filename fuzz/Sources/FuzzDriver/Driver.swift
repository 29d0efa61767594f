// The libFuzzer entry, shared by the harnesses. SwiftPM renames an executable's `main` (for
// testable executables), so libFuzzer's own main cannot be used: each harness's main.swift
// calls fuzz { data in … }, which hands libFuzzer its arguments and the callback.
import Foundation

nonisolated(unsafe) private var target: ((Data) -> Void)?

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer (its usual flags: -max_total_time=N, corpus directories…) on `body`, which
/// must return normally for every input: a trap, a sanitizer report or a leak is a finding.
public func fuzz(_ body: @escaping (Data) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, testOneInput))
}

/// libFuzzer's callback (it also links against this name).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    target!(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
