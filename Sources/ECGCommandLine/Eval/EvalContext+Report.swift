import ECGEvaluation
import ECGTraining
import Foundation

extension EvalContext {
  /// The run facts shown at the top of the report page.
  func reportMetadata(task: String) -> [ReportField] {
    [
      ReportField(name: "task", value: task),
      ReportField(name: "network", value: "\(settings.neuralNetwork.rawValue), objective \(settings.objective)"),
      ReportField(
        name: "condition", value: settings.condition.map { "\($0), cfg scale \(settings.cfgScale)" } ?? "none"),
      ReportField(name: "checkpoint", value: checkpoint + checkpointPosition + (options.ema ? " (EMA weights)" : "")),
      ReportField(name: "data", value: settings.data.joined(separator: ", ")),
      ReportField(name: "split", value: split.rawValue),
      ReportField(name: "seeds", value: seeds.map(String.init).joined(separator: ", ")),
      ReportField(name: "max samples", value: options.maxSamples.map(String.init) ?? "all"),
      ReportField(name: "device", value: "\(device)"),
    ]
  }

  /// " (epoch E, step S)" of a checkpoint folder, so a report still says which weights it scored after the run's
  /// `best` moves on; "" for a file.
  var checkpointPosition: String {
    guard let state = try? CheckpointFolder(at: URL(fileURLWithPath: checkpoint)).trainerState() else { return "" }
    return " (epoch \(state.checkpointEpoch), optimizer step \(state.step))"
  }
}
