import CTorch

extension Tensor {
  /// Moves a batch tensor to `device` as PyTorch's `DataLoader(pin_memory=True)` and `.to(device,
  /// non_blocking=True)` do: a CPU tensor going to CUDA is copied into pinned (page-locked) host memory and then
  /// to the GPU asynchronously, so the host goes on queueing the step while the copy runs (libtorch's pinned
  /// allocator keeps the host block until the copy has finished). Any other move is `to(device:)`: on the CPU
  /// nothing is pinned.
  public func transferred(to device: Device) -> Tensor {
    guard case .cuda = device, self.device == .cpu else { return to(device: device) }
    let source = isPinned ? self : wrap(ct_pin_memory(handle), "pin_memory")
    return wrap(ct_to_device_non_blocking(source.handle, device.typeCode, device.index), "to(\(device), non_blocking)")
  }

  /// Whether the tensor lives in pinned host memory (false without CUDA).
  public var isPinned: Bool {
    defer { ct_clear_error() }
    return ct_is_pinned(handle)
  }
}
