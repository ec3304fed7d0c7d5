import ECGEvaluation
import Foundation

extension EvalContext {
  /// The files of `outputFolder` an evaluation writing `results` would replace: the results JSON, its report
  /// page and, when `figuresOf` names a task that draws figures, that task's earlier `figures/<task>_*` files.
  func existingOutputs(results: URL, figuresOf task: String?) -> [String] {
    let files = FileManager.default
    var existing = [results, EvaluationReport.fileBeside(resultsJSON: results)]
      .filter { files.fileExists(atPath: $0.path) }.map(\.lastPathComponent)
    if let task {
      let figures = outputFolder.appendingPathComponent("figures")
      let drawn = ((try? files.contentsOfDirectory(atPath: figures.path)) ?? []).filter { $0.hasPrefix(task + "_") }
      if !drawn.isEmpty { existing.append("figures/\(task)_* (\(drawn.count) files)") }
    }
    return existing
  }

  /// Throws, before any work, when this evaluation would replace files an earlier one wrote into `outputFolder`
  /// (the same task on the same data; figures are named by task only) and `--overwrite` is not given: nothing is
  /// replaced silently, and a long evaluation never ends by refusing to write.
  func checkOutputs(results: URL, figuresOf task: String?) throws {
    guard !options.overwrite else { return }
    let existing = existingOutputs(results: results, figuresOf: task)
    guard !existing.isEmpty else { return }
    throw CommandError(
      "\(outputFolder.path) already holds \(existing.joined(separator: ", ")) from an earlier evaluation; pass "
        + "--overwrite to replace them, or --out DIR to write elsewhere")
  }

  /// `checkOutputs` for `task` (classification's results are named by `labels`; without labels there is nothing
  /// to check yet, and the task itself refuses).
  func checkOutputs(task: EvalTaskKind, labels: ClassificationLabelSet?, protocolName: String) throws {
    switch task {
    case .classification:
      guard let labels, let store = settings.data.first else { return }
      try checkOutputs(
        results: ClassificationTask.resultsFile(
          labels: labels, protocolName: protocolName, data: ClassificationTask.dataName(store), in: outputFolder),
        figuresOf: nil)
    case .generation, .reconstruction, .forecasting:
      let draws = (options.figures ?? task.defaultFigureCount) > 0
      try checkOutputs(results: resultsFile(task: task.rawValue), figuresOf: draws ? task.rawValue : nil)
    }
  }
}
