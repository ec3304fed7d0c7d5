import Foundation
import TensorFormats
import TestSupport
import Testing

@testable import ECGCommandLine

@Suite struct CheckpointConvertCommandTests {
  /// Converts the reference checkpoint into a fresh folder and returns it.
  static func convertReference() throws -> URL {
    let folder = try CheckpointFixtures.temporaryDirectory().appendingPathComponent("out")
    let input = CheckpointFixtures.formats.appendingPathComponent("checkpoint.pt").path
    var command = try ECGCommand.parseAsRoot(["checkpoint", "convert", input, folder.path])
    try command.run()
    return folder
  }

  @Test func writesModelAndEMASafeTensorsWithTheExpectedValues() throws {
    let folder = try Self.convertReference()
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let expected = try CheckpointFixtures.expected()
    let model = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    let ema = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("ema.safetensors"))
    #expect(Set(model.names) == Set(expected.tensors.keys))
    #expect(Set(ema.names) == Set(expected.tensors.keys))
    for (name, entry) in expected.tensors {
      let floating = ["float32", "float64", "float16", "bfloat16"].contains(entry.dtype)
      for (file, scale) in [(model, 1.0), (ema, floating ? 2.0 : 1.0)] {
        let tensor = try #require(file[name])
        #expect(tensor.dtype.pytorchName == entry.dtype, "\(name)")
        #expect(tensor.shape == entry.shape, "\(name)")
        #expect(try tensor.doubleValues() == entry.values.map { Double(Float($0 * scale)) } || !floating, "\(name)")
        if !floating { #expect(try tensor.doubleValues() == entry.values, "\(name)") }
      }
    }
  }

  @Test func writesTrainerAndOptimizerFiles() throws {
    let folder = try Self.convertReference()
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    struct Trainer: Decodable {
      let epoch: Int
      let step: Int
    }
    let trainer = try JSONDecoder().decode(
      Trainer.self, from: Data(contentsOf: folder.appendingPathComponent("trainer.json")))
    #expect(trainer.epoch == 3 && trainer.step == -1)
    let optimizer = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("optimizer.safetensors"))
    #expect(Set(optimizer.names) == ["state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq"])
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("optimizer.json")))
    let groups = try #require((json as? [String: Any])?["param_groups"] as? [[String: Any]])
    #expect(groups.first?["lr"] as? Double == 0.001)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(
      files == ["ema.safetensors", "model.safetensors", "optimizer.json", "optimizer.safetensors", "trainer.json"])
  }

  /// An earlier conversion's EMA stayed beside a checkpoint without one, and was exported or loaded with it.
  @Test func overwritingLeavesOnlyTheNewCheckpointsFiles() throws {
    let root = try CheckpointFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("out").path
    let checkpoints = SharedFixtures.referenceDirectory.appendingPathComponent("checkpoints")
    var first = try ECGCommand.parseAsRoot(
      ["checkpoint", "convert", checkpoints.appendingPathComponent("trans_continuous_dit.pt").path, folder])
    try first.run()
    #expect(FileManager.default.fileExists(atPath: folder + "/ema.safetensors"))
    var second = try ECGCommand.parseAsRoot([
      "checkpoint", "convert", checkpoints.appendingPathComponent("dit_ddpm.pt").path, folder, "--overwrite",
    ])
    try second.run()
    #expect(!FileManager.default.fileExists(atPath: folder + "/ema.safetensors"))
    #expect(FileManager.default.fileExists(atPath: folder + "/optimizer.json"))
    // A file that is no checkpoint is named in the error.
    let list = root.appendingPathComponent("list.pt")
    try TorchCheckpointWriter.write(.list([.int(1), .int(2)]), to: list, archiveName: "list")
    var third = try ECGCommand.parseAsRoot(["checkpoint", "convert", list.path, root.appendingPathComponent("x").path])
    #expect {
      try third.run()
    } throws: { error in
      "\(error)".hasPrefix("\(list.path): cannot convert the checkpoint: the checkpoint holds a list")
    }
  }

  @Test func reportsEveryFileItWrote() throws {
    let report = ReferenceCheckpointConverter.Report(
      files: [.init(name: "model.safetensors", tensorCount: 9), .init(name: "trainer.json", tensorCount: nil)],
      notes: ["left out 'x'"])
    let lines = CheckpointConvertCommand.lines(for: report, folder: URL(fileURLWithPath: "/out"))
    #expect(lines == ["wrote /out/model.safetensors (9 tensors)", "wrote /out/trainer.json", "note: left out 'x'"])
  }

  @Test func refusesASafeTensorsInput() throws {
    let input = CheckpointFixtures.formats.appendingPathComponent("tensors.safetensors").path
    let folder = try CheckpointFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var command = try ECGCommand.parseAsRoot(["checkpoint", "convert", input, folder.path])
    #expect(throws: TorchCheckpointError.self) { try command.run() }
  }
}
