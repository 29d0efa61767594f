// Entry point: parse, run, and turn every failure into a message and an exit status
// (2 for bad input, as argument errors are) instead of a trap.
import ArgumentParser
import DiT
import Foundation

setvbuf(stdout, nil, _IOLBF, 0)
do {
    var command = try Dit.parseAsRoot(CommandLineRepair.repaired(Array(CommandLine.arguments.dropFirst())))
    try command.run()
} catch let error as DiTError {
    FileHandle.standardError.write(Data("dit: error: \(error)\n".utf8))
    exit(2)
} catch let error as SettingError {
    FileHandle.standardError.write(Data("dit: error: \(error.cliError)\n".utf8))
    exit(2)
} catch let error as NonFiniteResult {
    FileHandle.standardError.write(Data("dit: error: \(error)\n".utf8))
    exit(1)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if Dit.exitCode(for: error) == .success { Dit.exit(withError: error) }  // --help, --version
    // One line naming the flag and what was wrong (the usage is one --help away); a misspelt
    // subcommand or option gets the nearest real one instead of a message about another flag.
    let message = CommandLineRepair.typo(in: Array(CommandLine.arguments.dropFirst())) ?? "\(Dit.message(for: error)) (see --help)"
    FileHandle.standardError.write(Data("dit: error: \(message)\n".utf8))
    exit(2)
}
