import Testing
import Torch

/// The runtime entry points report failures instead of dropping them.
@Suite struct RuntimeStatusTests {
  @Test func synchronizingAMissingGPUThrows() throws {
    // The CPU has nothing to wait for.
    try Device.synchronize(.cpu)
    // A device index past any machine's GPUs fails, with or without CUDA (libtorch's message, or "CUDA is not
    // available").
    #expect(throws: TorchError.self) { try Device.synchronize(.cuda(1_000)) }
  }

  @Test func userThreadCountsThatLibtorchRefusesThrow() {
    #expect(throws: TorchError.self) { try Torch.setIntraOpThreads(0) }
    #expect(throws: TorchError.self) { try Torch.setIntraOpThreads(-3) }
  }
}
