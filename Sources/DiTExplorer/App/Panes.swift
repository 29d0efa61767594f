// The panes, registered in one place. Each feature folder describes its pane once (a PaneSpec:
// its tab titles, its own keys, its view); this file lists them in tab order. Adding a pane is
// a folder with its spec, a case here and the line that returns its spec (docs/architecture.md).
import DiT
import DiTRender

public enum Pane: Int, CaseIterable, Sendable {
    case denoising, patches, attention, adaLN, calculator, forward, compare

    /// The registration: what each pane's folder declares.
    var spec: PaneSpec {
        switch self {
        case .denoising: return DenoisingView.pane
        case .patches: return PatchesView.pane
        case .attention: return AttentionView.pane
        case .adaLN: return AdaLNView.pane
        case .calculator: return CalculatorView.pane
        case .forward: return ForwardView.pane
        case .compare: return CompareView.pane
        }
    }

    public var title: String { spec.title }
    /// For narrow screens.
    public var shortTitle: String { spec.shortTitle }
    /// For the narrowest screens (60 columns), so the help hint still fits.
    public var tinyTitle: String { spec.tinyTitle }

    /// The tab's three labels (full, short, tiny) on a model of this block design (the
    /// conditioning pane is named after what the model has).
    public func titles(_ design: Conditioning) -> (full: String, short: String, tiny: String) {
        spec.titles?(design) ?? (title, shortTitle, tinyTitle)
    }
}

/// What a pane's folder declares about it.
struct PaneSpec {
    let title: String, shortTitle: String, tinyTitle: String
    /// Other titles on some block designs (nil: always the ones above).
    var titles: ((Conditioning) -> (full: String, short: String, tiny: String))? = nil
    /// The pane's own keys, which take precedence over the keys' other meanings there.
    var keys: (group: String, bindings: [Binding])? = nil
    /// Its keys replace the trajectory's (whose arrows they take): the help leaves those out there.
    var replacesTrajectoryKeys = false
    /// The view, on the screen's layout (tab bar and status line drawn around it).
    let draw: (ExplorerState, inout Canvas, Layout) -> Void
}

/// What is on screen, in one description: an explorer pane, or a lesson chapter beside the live
/// pane it embeds. Each feature decides from it whether its work is due (Explorer.work).
public struct OnScreen: Equatable, Sendable {
    /// The pane drawn: the explorer's, or the one a chapter embeds (nil: a chapter of its own drawing).
    public var pane: Pane?
    /// The lesson chapter whose text is open (nil: the explorer).
    public var chapter: Chapter?

    public func shows(_ p: Pane) -> Bool { pane == p }
}

extension ExplorerState {
    public var onScreen: OnScreen {
        lesson.open ? OnScreen(pane: lesson.chapter.livePane, chapter: lesson.chapter) : OnScreen(pane: pane, chapter: nil)
    }
}

extension Explorer {
    /// The features with background work, each saying what is due from the state and what is on
    /// screen: run after every action, in this order.
    static let work: [(inout ExplorerState, OnScreen) -> [Effect]] = [
        reprobe,        // Attention: a step whose attention was dropped (memory budget)
        forwardJobs,    // Forward: ε̂ at the pane's x_t, the MSE(t) curve
        compareJobs,    // Compare: the models side by side; lesson 4's block designs
        decodeJobs,     // Latent: the VAE decoder (not tied to a screen)
        ablationMapJobs,  // adaLN-Zero: the ablation map, while it is shown (M)
        sheetExports,   // the sheet (W): its files, once its samples are in
    ]
}
