import ECGEvaluation
import Testing

@Suite struct PlotROCCurveTests {
  @Test func pointsMatchScikitLearnRocCurve() {
    // sklearn.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], drop_intermediate=False):
    // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], AUC 0.75.
    let curve = ROCCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
    #expect(curve.falsePositiveRates == [0, 0, 0.5, 0.5, 1])
    #expect(curve.truePositiveRates == [0, 0.5, 0.5, 1, 1])
    #expect(curve.area == 0.75)
  }

  @Test func tiedScoresShareOnePointAndCountHalf() {
    let curve = ROCCurve(scores: [0.5, 0.5, 0.5, 0.9], labels: [true, false, false, true])
    #expect(curve.falsePositiveRates == [0, 0, 1])
    #expect(curve.truePositiveRates == [0, 0.5, 1])
    #expect(curve.area == 0.75)
    let scores = ClassificationScores(
      scores: [[0.5], [0.5], [0.5], [0.9]], labels: [[true], [false], [false], [true]])
    #expect(curve.area == scores.aurocMacro)
  }

  @Test func oneLabelValueGivesNoCurve() {
    let curve = ROCCurve(scores: [0.2, 0.7], labels: [true, true])
    #expect(curve.falsePositiveRates.isEmpty)
    #expect(curve.area.isNaN)
    let svg = ROCPlot().render(curves: [(name: "AF", curve: curve)])
    #expect(svg.contains("AF (AUROC n/a)"))
  }

  @Test func legendShowsEachClassesAUROC() {
    let curves = ROCPlot.perClass(
      scores: [[0.1, 0.9], [0.4, 0.2], [0.35, 0.6], [0.8, 0.3]],
      labels: [[false, true], [false, false], [true, true], [true, false]], classNames: ["NORM", "MI"])
    #expect(curves.map(\.curve.area) == [0.75, 1])
    let svg = ROCPlot().render(curves: curves)
    #expect(svg.contains("NORM (AUROC 0.750)"))
    #expect(svg.contains("MI (AUROC 1.000)"))
    #expect(svg.contains("stroke-dasharray=\"5 4\""))  // the chance diagonal
  }
}
