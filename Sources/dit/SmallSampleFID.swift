// `dit eval`'s warning for a FID from few samples. The Fréchet distance of N samples is biased
// upward by roughly a constant over N (Chong & Forsyth 2020, "Effectively Unbiased FID"), and
// below the judge's feature dimension the sample covariance is singular: at N = 20 the number is
// mostly that bias, so it says little about the model and cannot rank models evaluated at
// another N (the README's tables use 1,000 and more).
import Foundation

enum SmallSampleFID {
    /// Below this many samples `dit eval` warns.
    static let reliableSamples = 1000

    /// The warning for `samples` (nil from `reliableSamples` on).
    static func warning(samples: Int) -> String? {
        guard samples < reliableSamples else { return nil }
        return "dit: warning: FID from N = \(samples) samples is dominated by its small-sample bias (it falls as N grows, "
            + "whatever the model): meaningless for ranking models, and comparable only with FIDs at the same N; "
            + "use --samples \(reliableSamples) or more for a FID that says something about the model\n"
    }

    /// Writes the warning, if any, to stderr.
    static func warn(samples: Int) {
        if let w = warning(samples: samples) { FileHandle.standardError.write(Data(w.utf8)) }
    }
}
