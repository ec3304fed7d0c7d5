import ECGTraining
import Foundation

/// Renders trainer events: a progress bar per epoch (loss, lr, samples/s, m:ss ETA) on a terminal, plain
/// periodic lines otherwise; and writes `metrics.jsonl` and TensorBoard scalars when the run has a folder.
final class TrainingConsole {
  private let metrics: MetricsLog?
  private let tensorBoard: TensorBoardWriter?
  private let interactive: Bool
  private var plan: TrainingPlan?
  private var last: StepMetrics?
  private var epochStart = Date()
  private var epochStartBatch = 0
  private var batch = 0
  private var lastDraw = Date.distantPast
  private(set) var firstLoss: Double?
  private(set) var lastLoss: Double?
  /// Errors writing the logs; the first is reported at the end (training goes on).
  private(set) var writeError: Error?
  /// Where the console's lines go (standard output unless a caller, e.g. a benchmark printing JSON, redirects).
  private let emit: (String) -> Void
  /// `--dev`: one batch, so the plan line says so instead of the run's steps.
  private let dev: Bool

  init(
    metrics: MetricsLog?, tensorBoard: TensorBoardWriter?, plain: Bool, dev: Bool = false,
    emit: @escaping (String) -> Void = { print($0) }
  ) {
    self.metrics = metrics
    self.tensorBoard = tensorBoard
    self.emit = emit
    self.dev = dev
    interactive = !plain && isatty(STDERR_FILENO) == 1
  }

  func handle(_ event: TrainingEvent) {
    // Lines appear as they happen also when standard output is a pipe (tee, a log file): flush every stream.
    defer { fflush(nil) }
    switch event {
    case .started(let plan):
      self.plan = plan
      let resumed = plan.startStep > 0 ? " (resuming at epoch \(plan.startEpoch), step \(plan.startStep))" : ""
      if dev {
        emit("--dev: one batch of the epoch's \(plan.batchesPerEpoch), its shapes and loss; no run folder")
        return
      }
      emit(
        "training: \(plan.epochs) epoch(s) × \(plan.batchesPerEpoch) batches = \(plan.totalOptimizerSteps) "
          + "optimizer steps\(resumed)")
    case .epochStarted(_, let batch):
      epochStart = Date()
      epochStartBatch = batch
      self.batch = batch
    case .stepFinished(_, let epoch, let batch):
      self.batch = batch
      if interactive && Date().timeIntervalSince(lastDraw) > 0.2 { drawBar(epoch: epoch) }
    case .metrics(let record):
      last = record
      firstLoss = firstLoss ?? record.loss
      lastLoss = record.loss
      record_(record)
      if !interactive {
        emit(
          String(
            format: "step %d  epoch %d  loss %.5f  lr %.3g  grad %.3g  %.1f samples/s  %@", record.step, record.epoch,
            record.loss, record.learningRate, record.gradientNorm, record.samplesPerSecond,
            ProgressLine.duration(record.wallSeconds)))
      }
    case .devBatch(let shapes, let loss):
      for (name, shape) in shapes.sorted(by: { $0.key < $1.key }) { emit("\(name): \(shape)") }
      emit(String(format: "loss: %.6f", loss))
    case .checkpointSaved(let url, let reason):
      clearBar()
      emit("checkpoint (\(reason)): \(url.path)")
    case .epochFinished(let epoch, let loss, let isBest):
      if interactive { drawBar(epoch: epoch, final: true) }
      emit(String(format: "epoch %d: average loss %.5f%@", epoch, loss, isBest ? " (best)" : ""))
      do { try tensorBoard?.add(scalars: [("train/epoch_loss", loss)], step: last?.step ?? 0) } catch { note(error) }
    case .earlyStopped(let epoch):
      emit("Early stopping at epoch \(epoch)")
    }
  }

  private func record_(_ record: StepMetrics) {
    do {
      try metrics?.append(record)
      try tensorBoard?.add(
        scalars: [
          ("train/step_loss", record.loss), ("train/lr", record.learningRate),
          ("train/grad_norm", record.gradientNorm), ("train/samples_per_s", record.samplesPerSecond),
          ("epoch", Double(record.epoch)),
        ], step: record.step)
    } catch {
      note(error)
    }
  }

  private func note(_ error: Error) { writeError = writeError ?? error }

  private func drawBar(epoch: Int, final: Bool = false) {
    guard let plan else { return }
    lastDraw = Date()
    let total = plan.batchesPerEpoch
    let fraction = Double(batch) / Double(max(total, 1))
    let width = 24
    let filled = Int(fraction * Double(width))
    // Time per batch over the batches this process ran in the epoch, times the batches left.
    let done = batch - epochStartBatch
    let perBatch = done > 0 ? Date().timeIntervalSince(epochStart) / Double(done) : 0
    let eta = ProgressLine.duration(final ? 0 : perBatch * Double(total - batch))
    var line =
      "\repoch \(epoch) [" + String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled)
    line += "] \(batch)/\(total)"
    if let last {
      line += String(
        format: "  loss %.4f  lr %.2e  %.0f samples/s", last.loss, last.learningRate, last.samplesPerSecond)
    }
    line += "  ETA \(eta)   " + (final ? "\n" : "")
    FileHandle.standardError.write(Data(line.utf8))
  }

  private func clearBar() {
    if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
