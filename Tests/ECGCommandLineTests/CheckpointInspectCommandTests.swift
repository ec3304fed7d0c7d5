import Foundation
import TensorFormats
import Testing

@testable import ECGCommandLine

@Suite struct CheckpointInspectCommandTests {
  @Test func listsEverySafeTensorsTensorWithDTypeAndShape() throws {
    let path = CheckpointFixtures.formats.appendingPathComponent("tensors.safetensors").path
    let lines = CheckpointInspectCommand.lines(for: try CheckpointFile(path: path), path: path)
    #expect(lines.first == "\(path): safetensors, 9 tensors")
    #expect(lines.contains("  format: pt"))
    for (name, tensor) in try CheckpointFixtures.expected().tensors {
      let row = try #require(lines.first { $0.hasPrefix("  \(name) ") }, "no row for \(name)")
      let columns = row.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
      #expect(columns[1] == tensor.dtype)
      #expect(row.hasSuffix("[\(tensor.shape.map(String.init).joined(separator: ", "))]"))
    }
  }

  @Test func listsCheckpointTensorsByPathAndPlainEntries() throws {
    let path = CheckpointFixtures.formats.appendingPathComponent("checkpoint.pt").path
    let lines = CheckpointInspectCommand.lines(for: try CheckpointFile(path: path), path: path)
    #expect(lines.contains("  epoch: 3"))
    #expect(lines.contains("  step: -1"))
    let expected = try CheckpointFixtures.expected()
    for (name, tensor) in expected.tensors {
      for prefix in ["model_state_dict.", "ema_state_dict."] {
        let row = try #require(lines.first { $0.hasPrefix("  \(prefix)\(name) ") }, "no row for \(prefix)\(name)")
        #expect(row.contains(" \(tensor.dtype) "))
      }
    }
    #expect(lines.contains { $0.hasPrefix("  optimizer_state_dict.state.0.exp_avg ") })
  }

  /// A lone tensor (torch.save(tensor)) had a blank name; a folder got "not a regular file".
  @Test func aLoneTensorIsNamedAndAFolderIsRefusedWithWhatToPass() throws {
    let root = try CheckpointFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let file = root.appendingPathComponent("tensor.pt")
    let tensor = try StoredTensor(dtype: .float32, shape: [2], contiguousBytes: [UInt8](repeating: 0, count: 8))
    try TorchCheckpointWriter.write(.tensor(tensor), to: file, archiveName: "tensor")
    let lines = CheckpointInspectCommand.lines(for: try CheckpointFile(path: file.path), path: file.path)
    #expect(lines.contains { $0.hasPrefix("  (the whole file)") }, "\(lines)")
    var command = try ECGCommand.parseAsRoot(["checkpoint", "inspect", root.path])
    #expect {
      try command.run()
    } throws: { error in
      "\(error)".hasSuffix("is a folder; pass a file (a checkpoint folder's model.safetensors, or a reference .pt)")
    }
  }

  @Test func parsesFromTheCommandLineAndRuns() throws {
    let path = CheckpointFixtures.formats.appendingPathComponent("tensors.safetensors").path
    var command = try ECGCommand.parseAsRoot(["checkpoint", "inspect", path])
    try command.run()
  }

  @Test func refusesTheMaliciousPickleNamingTheGlobal() throws {
    let path = CheckpointFixtures.formats.appendingPathComponent("malicious.pkl").path
    var command = try ECGCommand.parseAsRoot(["checkpoint", "inspect", path])
    let error = try #require(throws: TorchCheckpointError.self) { try command.run() }
    #expect(error.description.contains("posix.system"))
  }
}
