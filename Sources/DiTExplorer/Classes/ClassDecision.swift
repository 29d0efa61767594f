// "When is the class decided": from which step on the judge's top class on x̂0 is the requested
// class and stays so to the last computed step.
import DiT

public enum ClassDecision {
    /// The first step k such that every computed step from k on has `requested` on top; nil when
    /// the last computed step does not (or nothing was scored).
    public static func firstDecided(_ steps: [StepView], requested: Int) -> Int? {
        var first: Int?
        for step in steps.reversed() {
            guard let p = step.classProbabilities, Judge.top(p) == requested else { break }
            first = step.k
        }
        return first
    }
}
