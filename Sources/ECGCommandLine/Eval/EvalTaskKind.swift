import ArgumentParser
import ECGEvaluation

/// The tasks `ecg eval --task` runs. Adding a task is one case here and one branch in `run(_:)`: the branch
/// returns the task's per-seed metrics and figures as an `EvaluationOutcome`.
enum EvalTaskKind: String, CaseIterable, ExpressibleByArgument {
  case generation
  case reconstruction
  case forecasting
  /// Downstream classification: writes its own results (`ClassificationTask`), not per-seed metrics.
  case classification

  /// Sample figures drawn without `--figures`: the reference's 30 (20 for forecasting); classification draws none.
  var defaultFigureCount: Int {
    switch self {
    case .generation, .reconstruction: 30
    case .forecasting: 20
    case .classification: 0
    }
  }

  /// Runs the task for every seed of `context`.
  func run(_ context: EvalContext) throws -> EvaluationOutcome {
    switch self {
    case .generation: try SignalTaskRunner.generation(context)
    case .reconstruction: try SignalTaskRunner.reconstruction(context)
    case .forecasting: try ForecastTaskRunner.run(context)
    case .classification:
      throw CommandError("classification has its own results; EvalCommand runs it through ClassificationTask")
    }
  }
}
