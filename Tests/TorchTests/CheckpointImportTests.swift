import Foundation
import Testing
import Torch
import TorchTestSupport

@Suite struct CheckpointImportTests {
  private var checkpoint: URL { FixtureCase.referenceDirectory.appendingPathComponent("formats/checkpoint.pt") }

  @Test func referenceCheckpointLoadsAsTensors() throws {
    let model = try StateDict(torchCheckpointAt: checkpoint)
    let ema = try StateDict(torchCheckpointAt: checkpoint, entry: "ema_state_dict")
    #expect(model.count > 0)
    #expect(model.names == ema.names)
    // The fixture's EMA is every floating tensor of the model times 2 (views included), others equal.
    for (name, tensor) in model {
      let shadow = ema[name]!
      #expect(shadow.shape == tensor.shape, "\(name)")
      let expected = tensor.dtype.isFloatingPoint ? tensor.to(.float64) * 2 : tensor.to(.float64)
      #expect(shadow.to(.float64).allClose(expected, rtol: 1e-6, atol: 0), "\(name)")
    }
  }

  @Test func missingEntryIsAClearError() {
    #expect(throws: TorchError.self) { try StateDict(torchCheckpointAt: checkpoint, entry: "no_such_entry") }
  }

  @Test func maliciousPickleIsRefused() {
    let url = FixtureCase.referenceDirectory.appendingPathComponent("formats/malicious.pkl")
    do {
      _ = try StateDict(torchCheckpointAt: url, entry: nil)
      Issue.record("a malicious pickle was accepted")
    } catch {
      #expect(String(describing: error).contains("system"))
    }
  }
}
