import ArgumentParser
import ECGTraining
import Foundation

/// `ecg checkpoint export`: one of our checkpoints as a file the reference (PyTorch) loads.
struct CheckpointExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a checkpoint in the reference's torch.save layout (model/ema/optimizer state, epoch, step).",
    discussion: """
      In PyTorch: ckpt = torch.load("OUT.pt", weights_only=True); \
      model.load_state_dict(ckpt["model_state_dict"], strict=True).
      """)

  @Argument(help: "A checkpoint folder, or a run folder (its best checkpoint, else its most advanced).")
  var checkpoint: String

  @Option(help: "Output format: pytorch.")
  var format = "pytorch"

  @Argument(help: "The .pt file to write (outside the checkpoint and its run folder).")
  var output: String

  @Flag(help: "Replace an existing output file.")
  var overwrite = false

  func validate() throws {
    guard format == "pytorch" else { throw ValidationError("unknown --format '\(format)'; use pytorch") }
    guard FileManager.default.fileExists(atPath: checkpoint) else {
      throw ValidationError("\(checkpoint) does not exist; pass a checkpoint folder or a run folder")
    }
  }

  func run() throws {
    let folder = try CheckpointFolder.resolveWeights(URL(fileURLWithPath: checkpoint))
    // Never into what it reads: a mistyped path replaced the checkpoint's own model.safetensors or trainer.json.
    let checkpoints = folder.url.deletingLastPathComponent()
    let source = checkpoints.lastPathComponent == "checkpoints" ? checkpoints.deletingLastPathComponent() : folder.url
    try OutputFile.checkOutside(
      output, input: source.path, inputName: source == folder.url ? "the checkpoint" : "the run folder",
      flag: "the output")
    try OutputFile.check(output, overwrite: overwrite, flag: "the output")
    let url = URL(fileURLWithPath: output)
    try ReferenceCheckpointExport.write(folder, to: url)
    print("wrote \(url.path) from \(folder.url.path)")
  }
}
