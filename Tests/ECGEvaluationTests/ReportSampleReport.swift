import ECGData
import ECGEvaluation
import Foundation

/// A report with every kind of table and figure, drawn from deterministic synthetic ECGs, for the report tests
/// and the browser check.
enum ReportSampleReport {
  static func make(title: String = "Reconstruction — synthetic store, DiT tiny") -> EvaluationReport {
    let generator = SyntheticECGGenerator(seed: 7, sampleCount: 1250, samplingRate: 250)
    let real = generator.record(at: 0)
    let other = generator.record(at: 1)
    let noisy = real.signal.enumerated().map { lead, values in
      values.enumerated().map { index, value in value + 0.08 * Float(sin(Double(index * (lead + 3)) * 0.05)) }
    }
    let grid = ECGGridPlot(arrangement: .overlay).render(
      traces: [ECGTrace(name: "Real", signal: real.signal), ECGTrace(name: "Reconstructed", signal: noisy)],
      leadNames: real.leadNames, samplingRate: 250, title: real.report)
    let sideBySide = ECGGridPlot(arrangement: .sideBySide).render(
      traces: [ECGTrace(name: "Real", signal: real.signal), ECGTrace(name: "Generated", signal: other.signal)],
      leadNames: real.leadNames, samplingRate: 250, title: "Real vs generated")
    let forecast = ForecastPlot().render(
      leads: ForecastLead.split(
        fullTruth: Array(real.signal.prefix(3)), fullPrediction: Array(noisy.prefix(3)), contextLength: 625,
        truthEnd: 3 * 1250, predictionEnd: 3 * 1250),
      leadNames: Array(real.leadNames.prefix(3)), samplingRate: 250, title: "Forecast, ratio 0.5")
    var scores: [[Double]] = []
    var labels: [[Bool]] = []
    for i in 0..<40 {
      let shift = i % 2 == 0 ? 0.4 : 0.0
      scores.append([Double(i % 7) / 7 + shift, Double((i * 5) % 11) / 11])
      labels.append([i % 2 == 0, i % 3 == 0])
    }
    let roc = ROCPlot().render(
      curves: ROCPlot.perClass(scores: scores, labels: labels, classNames: ["NORM", "MI"]), title: "Test split")
    let epochs = (0..<20).map(Double.init)
    let train: [(x: Double, y: Double)] = epochs.map { (x: $0, y: 1 / ($0 + 1)) }
    let validation: [(x: Double, y: Double)] = epochs.map { (x: $0, y: 1.2 / ($0 + 1) + 0.05) }
    let loss = LineChart().render(
      series: [.init(name: "train", points: train), .init(name: "validation", points: validation)],
      xLabel: "Epoch", yLabel: "Loss", title: "Linear probe")
    let results: [String: SeedAggregate] = [
      "mse": SeedAggregate([0.01, 0.012, 0.011, 0.0105, 0.0098]),
      "psnr": SeedAggregate([30.1, 29.8, .infinity, 30.4, 30]),
      "mase": SeedAggregate([.nan, .nan, .nan, .nan, .nan]),
    ]
    return EvaluationReport(
      title: title,
      metadata: [("task", "reconstruction"), ("checkpoint", "runs/dit/checkpoints/best"), ("seeds", "0, 1, 2, 3, 4")],
      sections: [
        ReportSection(
          heading: "Metrics",
          blocks: [
            .paragraph("Mean ± population std over five seeds on the test split."),
            .table(ReportTable(results: results, caption: "Reconstruction at t = 0.5")),
          ]),
        ReportSection(
          heading: "Samples",
          blocks: [
            .figure(ReportFigure(svg: grid, caption: "Real (black) and reconstructed (red), test sample 0.")),
            .figure(ReportFigure(svg: sideBySide, caption: "Real and generated side by side.")),
            .figure(ReportFigure(svg: forecast, caption: "Context, truth and forecast.")),
            .figure(
              ReportFigure(
                svg: ECGPlotSVG().render(signal: real.signal, leadNames: real.leadNames, samplingRate: 250),
                caption: "The real sample on ECG paper.")),
          ]),
        ReportSection(
          heading: "Classification",
          blocks: [
            .figure(ReportFigure(svg: roc, caption: "ROC per class.")),
            .figure(ReportFigure(svg: loss, caption: "Loss.")),
          ]),
        ReportSection(heading: "Raw results", blocks: [.preformatted(summary: "results.json", text: "{\"mse\": NaN}")]),
      ])
  }
}
