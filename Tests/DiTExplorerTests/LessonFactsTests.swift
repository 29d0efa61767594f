@testable import DiTExplorer
import XCTest

/// Issue 27, item 9: the facts the lessons state, in both languages. Heun's NFE is that of its
/// default linspace σ (Karras σ is the exception); guidance at low t is largely unnecessary
/// (Kynkäänniemi et al. 2024), not what sharpens details; DiT-XL/2 is the paper's 118.6 Gflops.
extension LessonViewTests {
    func body(_ chapter: Chapter, _ language: LessonLanguage) -> String {
        LessonBook.text(chapter, language, lesson(chapter, language)).body
    }

    func testHeunGuidanceAndXL2Gflops() {
        for language in LessonLanguage.allCases {
            let sampling = body(.sampling, language)
            XCTAssertTrue(sampling.contains("49 NFE") && sampling.contains("19") && sampling.contains("linspace") && sampling.contains("Karras"),
                          "\(language): Heun's ≈ 49 NFE by default, ≈ 19 with Karras σ")
            for claim in ["sharpens details", "細部をはっきり"] { XCTAssertFalse(sampling.contains(claim), "\(language): \(claim)") }
            XCTAssertTrue(sampling.contains("Kynkäänniemi"), "\(language)")
            for chapter in [Chapter.conditioning, .scaling] {
                let text = body(chapter, language)
                XCTAssertTrue(text.contains("118.6"), "\(language) \(chapter): the paper's 118.6 Gflops")
                XCTAssertFalse(text.contains("118.7 Gflops") || text.contains("（118.7"), "\(language) \(chapter): 118.7 given as the paper's")
            }
            XCTAssertFalse(body(.scaling, language).contains("118.7"), "\(language): chapter 8 gives the paper's number")
        }
    }
}
