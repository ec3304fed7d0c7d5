import Testing
import Torch

/// Batch transfers and GPU memory statistics as far as a machine without a GPU can check them.
@Suite struct DeviceTransferTests {
  @Test func aTransferToTheCPUNeitherPinsNorCopies() {
    let batch = Tensor([1, 2, 3] as [Float])
    let moved = batch.transferred(to: .cpu)
    #expect(moved.sharesStorage(with: batch))
    #expect(!moved.isPinned && !batch.isPinned)
  }

  @Test func memoryStatisticsNeedAGPU() throws {
    #expect(throws: TorchError.self) { try AcceleratorMemory.peakAllocatedBytes(on: .cpu) }
    #expect(throws: TorchError.self) { try AcceleratorMemory.resetPeak(on: .cpu) }
    guard Device.isCUDAAvailable else {
      // No GPU here: the CUDA query fails with a message instead of trapping.
      #expect(throws: TorchError.self) { try AcceleratorMemory.peakAllocatedBytes(on: .cuda(0)) }
      return
    }
    try AcceleratorMemory.resetPeak(on: .cuda(0))
    let before = try AcceleratorMemory.peakAllocatedBytes(on: .cuda(0))
    let big = Tensor.zeros([1 << 20], device: .cuda(0))
    #expect(try AcceleratorMemory.peakAllocatedBytes(on: .cuda(0)) >= before + 4 << 20)
    let pinned = Tensor([1, 2] as [Float]).transferred(to: .cuda(0))
    #expect(pinned.device == .cuda(0) && big.count == 1 << 20)
    #expect(pinned.to(device: .cpu).floats() == [1, 2])
  }
}
