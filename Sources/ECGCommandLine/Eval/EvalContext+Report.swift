import ECGEvaluation
import ECGModels
import ECGTraining
import Foundation

extension EvalContext {
  /// The run facts shown at the top of the report page, with the settings the task's numbers depend on (sampling
  /// steps for generation, the sampling rate for reconstruction's SSIM, the forecast ratio and the signal head's
  /// steps for forecasting). `deterministic` (zero-shot) shows no seeds: one run whatever the seeds.
  func reportMetadata(task: String, deterministic: Bool = false) -> [ReportField] {
    var fields = [
      ReportField(name: "task", value: task),
      ReportField(name: "network", value: "\(settings.neuralNetwork.rawValue), objective \(settings.objective)"),
      ReportField(
        name: "condition", value: settings.condition.map { "\($0), cfg scale \(settings.cfgScale)" } ?? "none"),
      ReportField(name: "checkpoint", value: checkpoint + checkpointPosition + (options.ema ? " (EMA weights)" : "")),
      ReportField(name: "data", value: settings.data.joined(separator: ", ")),
      ReportField(name: "split", value: split.rawValue),
      ReportField(
        name: "seeds",
        value: deterministic ? "none (one deterministic run)" : seeds.map(String.init).joined(separator: ", ")),
      ReportField(name: "max samples", value: options.maxSamples.map(String.init) ?? "all"),
    ]
    switch EvalTaskKind(rawValue: task) {
    case .generation:
      fields.append(ReportField(name: "sample steps", value: sampleStepsText))
    case .reconstruction:
      fields.append(ReportField(name: "sampling rate", value: "\(settings.sf) Hz (sets the SSIM window)"))
    case .forecasting:
      fields.append(ReportField(name: "forecast ratio", value: "\(settings.forecastRatio)"))
      if settings.signalHead {
        fields.append(ReportField(name: "signal head steps", value: "\(settings.signalHeadNumSteps)"))
      }
    case .classification, nil: break
    }
    fields.append(ReportField(name: "device", value: "\(device)"))
    return fields
  }

  /// Generation's sampling steps: `--sample_steps`, else the network's own (DDPM always runs its schedule's).
  var sampleStepsText: String {
    if let steps = options.sampleSteps { return "\(steps)" }
    let flags = BuilderFlags(
      neuralNetwork: settings.neuralNetwork.rawValue, objective: settings.objective, condition: settings.condition)
    guard let steps = try? NetworkBuilder.ditConfig(flags).numSteps else { return "the network's" }
    return settings.objective == "ddpm" ? "\(steps) (the DDPM schedule's)" : "\(steps) (the network's default)"
  }

  /// " (epoch E, step S)" of a checkpoint folder, so a report still says which weights it scored after the run's
  /// `best` moves on; "" for a file.
  var checkpointPosition: String {
    guard let state = try? CheckpointFolder(at: URL(fileURLWithPath: checkpoint)).trainerState() else { return "" }
    return " (epoch \(state.checkpointEpoch), optimizer step \(state.step))"
  }
}
