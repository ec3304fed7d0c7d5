import ECGEvaluation
import Testing
import Torch

@Suite struct MetricEdgeCaseTests {
  @Test func rocAUCCountsTiesHalfAndIsUndefinedForOneClass() {
    let tied = ClassificationScores(scores: [[1], [1], [1], [1]], labels: [[true], [false], [true], [false]])
    #expect(tied.aurocMacro == 0.5)
    let perfect = ClassificationScores(scores: [[0.9], [0.1]], labels: [[true], [false]])
    #expect(perfect.aurocMacro == 1)
    #expect(perfect.auprcMacro == 1)
    let oneClass = ClassificationScores(scores: [[0.9], [0.1]], labels: [[true], [true]])
    #expect(oneClass.aurocMacro.isNaN)
    #expect(oneClass.scoredClasses.isEmpty)
    // A class with one label value is left out of the means, not averaged in as NaN.
    let mixed = ClassificationScores(scores: [[0.9, 0.2], [0.1, 0.3]], labels: [[true, false], [false, false]])
    #expect(mixed.scoredClasses == [0])
    #expect(mixed.aurocMacro == 1)
  }

  /// NaN equals no threshold: the precision–recall loops once stalled on it (a classification run on a store
  /// with NaN samples never finished). The numbers are meaningless; the point is that the calls return.
  @Test(.timeLimit(.minutes(1))) func nanScoresDoNotStallThePrecisionRecallLoops() {
    let scores = ClassificationScores(
      scores: [[.nan], [0.5], [.nan], [0.2]], labels: [[true], [false], [true], [false]])
    #expect(scores.aurocPerClass.count == 1)
    let f1 = f1MaxMacro(
      scores: Tensor([Float.nan, 0.5, .nan, 0.2], shape: [4, 1]), labels: Tensor([1, 0, 1, 0], shape: [4, 1]))
    #expect(f1 >= 0)
  }

  @Test func f1IsZeroWhenNothingIsPredictedOrTrue() {
    let scores = ClassificationScores(scores: [[-1], [-2]], labels: [[false], [false]])
    #expect(scores.f1Macro == 0)
  }

  @Test func seedAggregationPropagatesNaN() {
    let aggregate = aggregateSeeds([["a": 1, "b": .nan], ["a": 3, "b": 1]])
    #expect(aggregate["a"] == SeedAggregate([1, 3]))
    #expect(aggregate["a"]?.mean == 2)
    #expect(aggregate["a"]?.std == 1)
    #expect(aggregate["b"]?.mean.isNaN == true)
  }

  @Test func identicalSignalsReconstructPerfectly() {
    let signal = Tensor.randn([2, 3, 100])
    let metrics = ReconstructionMetrics(prediction: signal, target: signal, samplingRate: 250)
    #expect(metrics.mse.doubles().allSatisfy { $0 == 0 })
    #expect(metrics.psnr.doubles().allSatisfy { Swift.abs($0 - 100) < 1e-3 })
    #expect(metrics.ssim.doubles().allSatisfy { Swift.abs($0 - 1) < 1e-4 })
  }

  @Test func frechetDistanceOfShiftedFeaturesIsTheSquaredShift() {
    let real = Tensor.randn([50, 4], dtype: .float64)
    let shifted = real + 2
    // Same covariance, means 2 apart in each of 4 dimensions: 4 · 2² = 16 (means are taken in float32).
    #expect(Swift.abs(frechetDistance(real: real, generated: shifted) - 16) < 1e-4)
  }
}
