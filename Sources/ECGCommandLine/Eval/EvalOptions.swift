import ArgumentParser
import ECGEvaluation

/// Flags of `ecg eval` beyond the reference's common ones (evaluation.md §8.1, which come from the pretraining
/// option groups): weights, seeds, split, batching, output.
struct EvalOptions: ParsableArguments {
  @Flag(help: "Load the checkpoint's EMA weights (the reference's --ema at evaluation).")
  var ema = false

  @Option(
    name: .customLong("seeds"), parsing: .upToNextOption,
    help: ArgumentHelp(
      "Evaluation seeds (whole numbers, e.g. 0 1 2 or 0,1,2); the metrics are aggregated over them (mean, "
        + "population std, values).", valueName: "seeds"))
  var seedList: [String] = ["0", "1", "2", "3", "4"]

  /// `--seeds`, parsed (``validate()`` has checked every entry).
  var seeds: [UInt64] { ListOption.items(seedList).compactMap { UInt64($0) } }

  func validate() throws {
    let parse = parseSeed("--seeds")
    var seen: Set<UInt64> = []
    for item in ListOption.items(seedList) {
      let seed = try parse(item)
      // A seed draws the same windows and noise every time: a repeat would count one run twice and shrink the std.
      guard seen.insert(seed).inserted else {
        throw ValidationError("--seeds repeats seed \(seed); give each seed once (a repeat counts one run twice)")
      }
    }
  }

  @Option(
    help: ArgumentHelp(
      "test: the store's patient-disjoint test split (leakage-free); reference-files: the reference's seeded "
        + "70/30 split of all files (windows pretraining saw).", valueName: "test|reference-files"))
  var split: String = EvaluationSplit.test.rawValue

  @Option(
    name: [.long, .customLong("max_samples")], parsing: .unconditional,
    help: ArgumentHelp(
      "Evaluate only the first N windows of the split (the reference stops after 592 for generation and "
        + "reconstruction, 5 for forecasting)."))
  var maxSamples: Int?

  @Option(
    name: [.long, .customLong("eval_batch_size")], parsing: .unconditional,
    help: "Windows per forward pass (the reference evaluates one at a time; the numbers do not depend on it).")
  var evalBatchSize = 32

  @Option(
    name: [.long, .customLong("sample_steps")], parsing: .unconditional,
    help: "Generation sampling steps (default: the network's; DDPM always runs its schedule's).")
  var sampleSteps: Int?

  @Option(
    parsing: .unconditional,
    help: "Sample figures to draw (default: the reference's 30, or 20 for forecasting); 0 draws none.")
  var figures: Int?

  @Option(
    help: ArgumentHelp(
      "Output folder for the results JSON and figures (default: the checkpoint's run folder; required when "
        + "the checkpoint is not in one)."))
  var out: String?

  @Flag(
    help: ArgumentHelp(
      "Replace the results, report and figures an earlier evaluation of the same task and data left in the "
        + "output folder (without it they are kept and the evaluation is refused before it starts)."))
  var overwrite = false

  @Option(help: "cpu, cuda or cuda:N (default: cuda when available, else cpu).")
  var device: String?

  @Option(parsing: .unconditional, help: "libtorch intra-op threads (default: libtorch's choice).")
  var threads: Int?
}
