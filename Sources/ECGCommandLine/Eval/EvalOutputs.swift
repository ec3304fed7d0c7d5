import ECGData
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
      let drawn = earlierFigures(of: task)
      if !drawn.isEmpty { existing.append("figures/\(task)_* (\(drawn.count) files)") }
    }
    return existing
  }

  /// `<out>/figures`, where the tasks draw.
  var figuresFolder: URL { outputFolder.appendingPathComponent("figures") }

  /// The figure files an earlier evaluation of `task` drew in `figuresFolder`: `<task>_*.svg` and `.png`.
  func earlierFigures(of task: String) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: figuresFolder.path)) ?? []
    return names.filter { $0.hasPrefix(task + "_") && ($0.hasSuffix(".svg") || $0.hasSuffix(".png")) }.sorted()
      .map { figuresFolder.appendingPathComponent($0) }
  }

  /// With `--overwrite`, once this evaluation of `task` has drawn `drawn`, removes the figures an earlier one drew
  /// that it did not redraw: an earlier run of more windows would otherwise leave figures the new report does not
  /// show. Done after the task, so a failed evaluation leaves the earlier report with its figures. Other tasks'
  /// figures and any other file stay.
  func removeEarlierFigures(of task: EvalTaskKind, keeping drawn: [URL]) throws {
    guard options.overwrite, (options.figures ?? task.defaultFigureCount) > 0 else { return }
    let kept = Set(drawn.map(\.standardizedFileURL.path))
    for file in earlierFigures(of: task.rawValue) where !kept.contains(file.standardizedFileURL.path) {
      try FileManager.default.removeItem(at: file)
    }
  }

  /// Throws, before any work, when `outputFolder` (and `figures/` in it, for a task that draws) cannot be created
  /// or written, with the sentence the first write would fail with; folders it had to create are removed again.
  func checkOutputFolderIsWritable(task: EvalTaskKind) throws {
    let draws = task != .classification && (options.figures ?? task.defaultFigureCount) > 0
    let folders = draws ? [outputFolder, figuresFolder] : [outputFolder]
    let files = FileManager.default
    // The outermost folder that does not exist yet: removing it undoes every folder the check creates.
    var created: URL?
    var ancestor = folders.last!.standardizedFileURL
    while !files.fileExists(atPath: ancestor.path) && ancestor.path != "/" {
      created = ancestor
      ancestor = ancestor.deletingLastPathComponent()
    }
    defer { if let created { try? files.removeItem(at: created) } }
    for folder in folders {
      do {
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        let probe = folder.appendingPathComponent(".ecg-eval-write-check-\(UUID().uuidString)")
        try Data().write(to: probe)
        try files.removeItem(at: probe)
      } catch {
        throw CommandError(FileErrorText.sentence(error, action: "use", path: folder.path))
      }
    }
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
