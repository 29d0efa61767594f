// Two things swift-argument-parser gets wrong for people typing at a shell, mended around it
// (main.swift): a negative number after an option that takes a value ("--t -1") reads as an
// option of its own ("Missing value"), so it is joined to its option ("--t=-1") and reaches the
// bounds that refuse it by name; and a misspelt subcommand or option is answered with the
// nearest real one ("did you mean `sample`?") instead of a message about something else
// ("Unknown option '--output'" for `dit smaple --output a.png`).
import ArgumentParser

enum CommandLineRepair {
    /// The subcommand names, `help` included.
    static var subcommands: [String] { Dit.configuration.subcommands.map { $0._commandName } + ["help"] }

    /// The subcommand the arguments run: the one named first, else the default (explore).
    static func command(_ args: [String]) -> ParsableCommand.Type {
        Dit.configuration.subcommands.first { $0._commandName == args.first } ?? Explore.self
    }

    /// The long options of `command` from its help: every name, and those that take a value
    /// ("--t <t,…>"), hidden ones included.
    static func options(_ command: ParsableCommand.Type) -> (all: Set<String>, valued: Set<String>) {
        var all: Set<String> = ["--help", "-h", "--version", "--experimental-dump-help"], valued: Set<String> = []
        let help = Dit.helpMessage(for: command, includeHidden: true, columns: 100_000)
        for line in help.split(separator: "\n") where line.drop(while: { $0 == " " }).hasPrefix("-") {
            let spec = line.drop(while: { $0 == " " }).prefix { $0 != " " }   // "--clip/--no-clip" or "-h,"
            let names = spec.split(whereSeparator: { "/,".contains($0) }).map(String.init).filter { $0.hasPrefix("-") }
            all.formUnion(names)
            if line.drop(while: { $0 == " " }).dropFirst(spec.count).hasPrefix(" <") { valued.formUnion(names) }
        }
        return (all, valued)
    }

    /// "-1", "-0.5", "-1,2", "-inf": what a negative value looks like.
    static func isNegativeNumber(_ s: String) -> Bool {
        guard s.hasPrefix("-"), let c = s.dropFirst().first else { return false }
        return c.isNumber || c == "." || s.dropFirst().lowercased().hasPrefix("inf") || s.dropFirst().lowercased() == "nan"
    }

    /// The arguments (program name dropped) with each negative number after a value-taking
    /// option joined to it: "--t", "-1" -> "--t=-1".
    static func repaired(_ args: [String]) -> [String] {
        let valued = options(command(args)).valued
        var out: [String] = []
        var i = 0
        while i < args.count {
            if args[i] == "--" { out += args[i...]; break }
            if valued.contains(args[i]), i + 1 < args.count, isNegativeNumber(args[i + 1]) {
                out.append(args[i] + "=" + args[i + 1])
                i += 2
                continue
            }
            out.append(args[i])
            i += 1
        }
        return out
    }

    /// When parsing failed: a misspelt subcommand or an unknown option, with the nearest real
    /// name when one is close; nil when neither is the trouble.
    static func typo(in args: [String]) -> String? {
        if let word = args.first, !word.hasPrefix("-"), !subcommands.contains(word) {
            if let near = nearest(word, among: subcommands) { return "unknown subcommand '\(word)'; did you mean `\(near)`?" }
            return "unknown subcommand '\(word)'; expected one of \(subcommands.joined(separator: ", "))"
        }
        let command = command(args), known = options(command)
        let name = command == Explore.self && args.first != "explore" ? "dit" : "dit \(command._commandName)"
        var skip = false
        for arg in args.dropFirst(args.first == command._commandName ? 1 : 0) {
            if arg == "--" { break }
            if skip { skip = false; continue }
            let flag = String(arg.prefix { $0 != "=" })
            guard flag.hasPrefix("--"), !known.all.contains(flag) else {
                skip = known.valued.contains(arg)   // its value may start with "-"
                continue
            }
            if let near = nearest(flag, among: Array(known.all)) { return "unknown option '\(flag)' for `\(name)`; did you mean '\(near)'?" }
            return "unknown option '\(flag)' for `\(name)` (see `\(name) --help`)"
        }
        return nil
    }

    /// The candidate within a small edit distance of `word` (a third of its length, at most 2),
    /// the closest first; nil when none is that close.
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let limit = min(2, max(1, word.count / 3))
        return candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }
            .min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbours ("sampel" is one from "sample") each cost 1.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
