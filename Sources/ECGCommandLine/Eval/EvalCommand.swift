import ArgumentParser
import ECGEvaluation
import Foundation
import Torch

/// `ecg eval`: the reference's `eval_encoder.py` — generation and reconstruction (DiT), forecasting (decoder)
/// — over five seeds, batched, on the store's leakage-free test split, with results JSON and sample figures.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a pretrained network (the reference's eval_encoder.py flags, snake_case or kebab-case).",
    discussion: """
      Tasks: generation (DiT: FID and MMD of the network's features), reconstruction (DiT: MSE, MAE, PSNR, SSIM \
      per lead at t = 0.1…0.9), forecasting (decoder: token accuracy and the decoded continuation's MSE, MAE, \
      MASE, Pearson r, SNR; with --signal_head the head's window), classification (--labels: linear probe, \
      fine-tuning or MERL zero-shot with the random-initialisation row, into \
      <out>/classification_<labels>_<protocol>_<data>_results.json). Windows: the store's test split (--split \
      reference-files for the reference's). Each seed's metrics are aggregated (mean, population std, values) into \
      <out>/<task>_None_<data>_results.json (NaN and Infinity as Python writes them) with its page \
      <out>/<task>_None_<data>_report.html; sample figures go to <out>/figures/. Results, reports and figures of \
      an earlier evaluation are replaced only with --overwrite. --nn_ckpt takes a run folder (its config.yaml sets \
      the network), a checkpoint folder, a .safetensors file or a reference .pt (then pass the network flags and \
      --out).
      """)

  @OptionGroup(title: "Data") var dataOptions: PretrainDataOptions
  @OptionGroup(title: "Network") var modelOptions: PretrainModelOptions
  @OptionGroup(title: "Evaluation") var evalOptions: EvalOptions
  @OptionGroup(title: "Downstream classification")
  var classificationOptions: ClassificationOptions

  /// The arguments `ecg` was given, when its entry point kept them: with a run folder, a network or data flag given
  /// at its default value is told from an absent one by them (as `ecg pretrain --resume` does).
  var commandLine: [String]? = nil

  func validate() throws {
    _ = try resolvedContext()
  }

  func run() throws {
    let context = try resolvedContext()
    if let threads = evalOptions.threads { try Torch.setIntraOpThreads(threads) }
    let task = EvalTaskKind(rawValue: context.settings.task)!
    print("Evaluating \(task.rawValue)")
    if task == .classification {
      try ClassificationTask.run(options: classificationOptions, context: context)
      return
    }
    let outcome = try task.run(context)
    try context.removeEarlierFigures(of: task, keeping: outcome.figures)
    try FileManager.default.createDirectory(at: context.outputFolder, withIntermediateDirectories: true)
    let file = context.resultsFile(task: task.rawValue)
    try Data((resultsJSON(outcome)).utf8).write(to: file, options: .atomic)
    if !outcome.figures.isEmpty {
      print("figures: \(outcome.figures.count) in \(outcome.figures[0].deletingLastPathComponent().path)")
    }
    for note in outcome.notes { print("note: \(note)") }
    print("results: \(file.path)")
    let report = try EvaluationReport.writeBeside(
      resultsJSON: file, title: "ecg eval — \(task.rawValue)", metadata: context.reportMetadata(task: task.rawValue),
      figures: outcome.figures, notes: outcome.notes)
    print("report: \(report.path)")
  }
}
