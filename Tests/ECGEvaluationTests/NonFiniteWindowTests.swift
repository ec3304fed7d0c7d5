import ECGData
import Testing

@testable import ECGEvaluation

/// Windows holding NaN or infinite samples made every metric of their seed NaN without a word.
@Suite struct NonFiniteWindowTests {
  /// Windows of 2 leads × 4 samples; those of `bad` hold one non-finite sample (NaN, or +∞ for odd ones).
  struct Windows: ECGWindowSource {
    var count: Int
    var bad: Set<Int>

    func window(at index: Int) throws -> ECGWindow {
      var values = (0..<8).map { Float(index * 8 + $0) }
      if bad.contains(index) { values[5] = index.isMultiple(of: 2) ? .nan : .infinity }
      return ECGWindow(id: "w\(index)", values: values, leads: 2, length: 4)
    }
  }

  @Test func windowsHoldingNaNOrInfinityAreSkippedCountedAndTheFirstNamed() throws {
    let windows = EvaluationWindows(
      source: Windows(count: 8, bad: [1, 4, 6]), order: [6, 0, 1, 2, 3, 4, 5, 7], notes: ["split"])
    let (kept, skipped) = try windows.keepingFinite(nil)
    #expect(kept.order == [0, 2, 3, 5, 7])
    #expect(skipped == NonFiniteWindows(read: 8, skipped: 3, first: "w6"))
    #expect(
      kept.notes
        == [
          "split",
          "3 of 8 windows read hold NaN or infinite samples and were skipped (the first: w6); the scores describe "
            + "the other 5",
        ])
  }

  @Test func maxSamplesCountsTheWindowsKeptAndReadsNoFurther() throws {
    let windows = EvaluationWindows(source: Windows(count: 8, bad: [1, 4, 6]), order: Array(0..<8))
    let (kept, skipped) = try windows.keepingFinite(2)
    #expect(kept.order == [0, 2])
    #expect(skipped == NonFiniteWindows(read: 3, skipped: 1, first: "w1"))
    let (clean, none) = try EvaluationWindows(source: Windows(count: 8, bad: []), order: [3, 1]).keepingFinite(5)
    #expect(clean.order == [3, 1] && clean.notes.isEmpty && none.note == nil)
  }

  @Test func nothingIsKeptWhenEveryWindowHoldsANonFiniteSample() throws {
    let (kept, skipped) = try EvaluationWindows(source: Windows(count: 3, bad: [0, 1, 2]), order: [2, 0, 1])
      .keepingFinite(nil)
    #expect(kept.order.isEmpty && skipped.skipped == 3 && skipped.first == "w2")
  }
}
