import ArgumentParser
import Foundation
import TensorFormats

/// `ecg checkpoint convert IN.pt OUT_DIR`: write a reference checkpoint as safetensors + JSON.
struct CheckpointConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a reference PyTorch checkpoint into safetensors files.",
    discussion: """
      Writes model.safetensors (model_state_dict), ema.safetensors (ema_state_dict, when present), \
      optimizer.safetensors and optimizer.json (optimizer_state_dict, when present) and trainer.json \
      (epoch, step and other plain entries) into OUT_DIR. The checkpoint is read without running any code.
      """
  )

  @Argument(help: "A checkpoint written by torch.save (e.g. epoch_best.pt).")
  var input: String

  @Argument(help: "The folder to write into (created if missing).")
  var outputDirectory: String

  @Flag(
    help: "Replace an earlier conversion in the folder (its files this checkpoint lacks, such as ema.safetensors, go).")
  var overwrite = false

  /// Every file the conversion may write.
  static let outputNames = [
    "model.safetensors", "ema.safetensors", "optimizer.safetensors", "optimizer.json", "trainer.json",
  ]

  func run() throws {
    try OutputFile.checkFiles(
      Self.outputNames, in: outputDirectory, overwrite: overwrite, flag: "the output folder argument")
    let checkpoint = try CheckpointFile.torchCheckpoint(path: input)
    let folder = URL(fileURLWithPath: outputDirectory, isDirectory: true)
    let report: ReferenceCheckpointConverter.Report
    do {
      report = try reportingErrors { try ReferenceCheckpointConverter.convert(checkpoint, to: folder) }
    } catch let error as ConversionError {
      throw CommandError("\(input): \(error.description); pass a checkpoint written by the reference's torch.save")
    }
    // The folder describes this checkpoint alone: an earlier conversion's EMA, optimizer or trainer file would be
    // exported or loaded (--nn_ckpt --ema) with it.
    let written = Set(report.files.map(\.name))
    for name in Self.outputNames where !written.contains(name) {
      let stale = folder.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: stale.path) {
        try FileManager.default.removeItem(at: stale)
        print("removed \(stale.path) (an earlier conversion's; this checkpoint has none)")
      }
    }
    for line in Self.lines(for: report, folder: folder) { print(line) }
  }

  static func lines(for report: ReferenceCheckpointConverter.Report, folder: URL) -> [String] {
    report.files.map { file in
      let path = folder.appendingPathComponent(file.name).path
      return file.tensorCount.map { "wrote \(path) (\($0) tensors)" } ?? "wrote \(path)"
    } + report.notes.map { "note: \($0)" }
  }
}
