import CTorch

/// The GPU allocator's statistics (`torch.cuda.max_memory_allocated`, `torch.cuda.reset_peak_memory_stats`),
/// through libtorch's device-generic accelerator API. Without a GPU every query throws.
public enum AcceleratorMemory {
  /// The most bytes held by tensors on `device` at once since the process started or the last `resetPeak`.
  /// Throws `TorchError` for the CPU or when no GPU is available.
  public static func peakAllocatedBytes(on device: Device) throws -> Int {
    let index = try gpuIndex(device, "peak allocated bytes")
    let bytes = ct_accelerator_peak_allocated_bytes(index)
    if bytes < 0 { throw TorchError.last("peak allocated bytes (\(device))") }
    return Int(bytes)
  }

  /// Starts a new peak on `device`. Throws `TorchError` for the CPU or when no GPU is available.
  public static func resetPeak(on device: Device) throws {
    let index = try gpuIndex(device, "reset peak memory statistics")
    if ct_accelerator_reset_peak_stats(index) < 0 { throw TorchError.last("reset peak memory statistics (\(device))") }
  }

  private static func gpuIndex(_ device: Device, _ operation: String) throws -> Int32 {
    guard case .cuda(let index) = device else {
      throw TorchError(operation: operation, message: "the CPU has no accelerator memory statistics; use a GPU device")
    }
    return Int32(index)
  }
}
