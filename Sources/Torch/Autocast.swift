import CTorch

/// Runs `body` with libtorch's autocast enabled for `device`'s type on the calling thread (`torch.autocast`):
/// eligible operations (matmuls, linear layers, convolutions, attention) compute in `dtype` while parameters,
/// gradients and optimizer state stay in their own (float32) type; precision-sensitive ones (softmax,
/// reductions, losses) stay in float32. Regions nest (an inner region keeps the outer one's dtype); autocast is
/// switched off again after the outermost, and leaving it clears the cache of casted weights.
///
/// The backward pass runs outside the region, as PyTorch recommends: autograd replays each operation in the
/// dtype its forward used.
public func withAutocast<R>(device: Device, dtype: DType = .bfloat16, _ body: () throws -> R) rethrows -> R {
  let type = device.typeCode
  let wasEnabled = ct_autocast_is_enabled(type)
  if !wasEnabled { check(ct_autocast_set_enabled(type, true, dtype.rawValue), "autocast(\(device), \(dtype))") }
  ct_autocast_enter()
  defer {
    ct_autocast_exit()
    if !wasEnabled { check(ct_autocast_set_enabled(type, false, dtype.rawValue), "autocast(\(device)) exit") }
  }
  return try body()
}

/// Whether autocast is on for `device`'s type on the calling thread.
public func isAutocastEnabled(device: Device) -> Bool { ct_autocast_is_enabled(device.typeCode) }
