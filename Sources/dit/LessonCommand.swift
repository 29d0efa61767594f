// `dit lesson`: the explorer opened on a guided tour of the paper, in English or Japanese.
import ArgumentParser
import DiTExplorer

extension LessonLanguage: ExpressibleByArgument {}

struct Lesson: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A guided tour of the Diffusion Transformer, with the live model as the illustration.",
        discussion: """
        Nine chapters: latent diffusion, patchify, position embeddings, conditioning (adaLN-Zero), \
        the transformer block, the linear decoder, sampling, scaling, the training objective. Keys: → / ← chapters, \
        t try it (the explorer on the chapter's pane; L returns to the chapter), g English ⇄ 日本語, \
        ? every key, q quit.
        Examples:
          dit lesson
          dit lesson --lang ja --chapter 4
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var latentOptions: LatentVAEOptions
    @Option(help: "Language of the text: en or ja.") var lang: LessonLanguage = .en
    @Option(help: "Chapter to open, 1…\(Chapter.allCases.count).") var chapter: Int = 1
    @Option(help: "Colours: auto, truecolor, 256 or ascii.") var color: ColorChoice = .auto
    @OptionGroup var graphicsOptions: GraphicsOptions
    @Option(help: ArgumentHelp("Directory the export keys (w G o A) write into.", valueName: "dir")) var exportDir = "."

    func validate() throws {
        guard Chapter(rawValue: chapter - 1) != nil else {
            throw ValidationError("--chapter must be in 1…\(Chapter.allCases.count), found \(chapter)")
        }
    }

    func run() throws {
        if graphicsOptions.report() { return }
        // The explorer with its default sampler settings, opened on the lesson.
        let explore = try Explore.parse((modelOptions.model.map { ["--model", $0] } ?? []) + (latentOptions.vae.map { ["--vae", $0] } ?? [])
                                        + ["--color", color.rawValue, "--graphics", graphicsOptions.graphics.rawValue, "--export-dir", exportDir])
        try explore.open(lesson: LessonState(chapter: Chapter(rawValue: chapter - 1)!, language: lang, open: true))
    }
}
