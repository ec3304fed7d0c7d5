import CTorch

/// Multi-tensor operations (`torch._foreach_*`): one call updates a whole list of tensors. On CUDA a list of one
/// device and dtype runs as a few kernel launches instead of one per tensor; on the CPU libtorch loops over the
/// tensors with the ordinary operations, so the results are those of the per-tensor ops bit for bit.
///
/// Lists passed together must have the same length (and matching shapes element by element).
public enum Foreach {
  /// `self[i] += value`
  public static func addInPlace(_ tensors: [Tensor], _ value: Double) {
    guard !tensors.isEmpty else { return }
    withHandles(tensors) { check(ct_foreach_add_scalar_($0, Int64(tensors.count), value), "_foreach_add_") }
  }

  /// `self[i] *= value`
  public static func mulInPlace(_ tensors: [Tensor], _ value: Double) {
    guard !tensors.isEmpty else { return }
    withHandles(tensors) { check(ct_foreach_mul_scalar_($0, Int64(tensors.count), value), "_foreach_mul_") }
  }

  /// `self[i] *= scalar` with a 0-dimensional tensor, read on the device (no host synchronisation).
  public static func mulInPlace(_ tensors: [Tensor], _ scalar: Tensor) {
    guard !tensors.isEmpty else { return }
    withHandles(tensors) {
      check(ct_foreach_mul_tensor_($0, Int64(tensors.count), scalar.handle), "_foreach_mul_(Tensor)")
    }
  }

  /// `self[i] /= values[i]`
  public static func divInPlace(_ tensors: [Tensor], _ values: [Double]) {
    precondition(values.count == tensors.count, "\(values.count) divisors for \(tensors.count) tensors")
    guard !tensors.isEmpty else { return }
    withHandles(tensors) { check(ct_foreach_div_scalars_($0, Int64(tensors.count), values), "_foreach_div_") }
  }

  /// `self[i] += weight · (end[i] − self[i])`
  public static func lerpInPlace(_ tensors: [Tensor], _ end: [Tensor], weight: Double) {
    requireSameCount(tensors, end)
    guard !tensors.isEmpty else { return }
    withHandles(tensors) { a in
      withHandles(end) { b in check(ct_foreach_lerp_scalar_(a, b, Int64(tensors.count), weight), "_foreach_lerp_") }
    }
  }

  /// `self[i] += value · a[i] · b[i]`
  public static func addcmulInPlace(_ tensors: [Tensor], _ a: [Tensor], _ b: [Tensor], value: Double = 1) {
    requireSameCount(tensors, a)
    requireSameCount(tensors, b)
    guard !tensors.isEmpty else { return }
    withHandles(tensors) { s in
      withHandles(a) { x in
        withHandles(b) { y in
          check(ct_foreach_addcmul_scalar_(s, x, y, Int64(tensors.count), value), "_foreach_addcmul_")
        }
      }
    }
  }

  /// `self[i] += values[i] · a[i] / b[i]`
  public static func addcdivInPlace(_ tensors: [Tensor], _ a: [Tensor], _ b: [Tensor], values: [Double]) {
    requireSameCount(tensors, a)
    requireSameCount(tensors, b)
    precondition(values.count == tensors.count, "\(values.count) values for \(tensors.count) tensors")
    guard !tensors.isEmpty else { return }
    withHandles(tensors) { s in
      withHandles(a) { x in
        withHandles(b) { y in
          check(ct_foreach_addcdiv_scalars_(s, x, y, Int64(tensors.count), values), "_foreach_addcdiv_")
        }
      }
    }
  }

  /// `sqrt(self[i])` as new tensors.
  public static func sqrt(_ tensors: [Tensor]) -> [Tensor] {
    collect(tensors.count, "_foreach_sqrt") { out in
      withHandles(tensors) { ct_foreach_sqrt($0, Int64(tensors.count), out) }
    }
  }

  /// `self[i] + alpha · other[i]` as new tensors.
  public static func add(_ tensors: [Tensor], _ other: [Tensor], alpha: Double = 1) -> [Tensor] {
    requireSameCount(tensors, other)
    return collect(tensors.count, "_foreach_add") { out in
      withHandles(tensors) { a in
        withHandles(other) { b in ct_foreach_add_list(a, b, Int64(tensors.count), alpha, out) }
      }
    }
  }

  /// The `ord`-norm of each tensor over all its elements: 0-dimensional tensors on each tensor's device.
  public static func norm(_ tensors: [Tensor], ord: Double = 2) -> [Tensor] {
    collect(tensors.count, "_foreach_norm") { out in
      withHandles(tensors) { ct_foreach_norm($0, Int64(tensors.count), ord, out) }
    }
  }

  private static func requireSameCount(_ a: [Tensor], _ b: [Tensor]) {
    precondition(a.count == b.count, "foreach lists of \(a.count) and \(b.count) tensors")
  }

  private static func collect(
    _ count: Int, _ name: String, _ body: (UnsafeMutablePointer<ct_tensor?>) -> Int32
  ) -> [Tensor] {
    guard count > 0 else { return [] }
    var out = [ct_tensor?](repeating: nil, count: count)
    let status = out.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    if status < 0 { torchFailure(name) }
    return out.map { Tensor(handle: $0!) }
  }
}

/// Items grouped by their tensor's device and dtype, in order of first appearance (PyTorch's
/// `_group_tensors_by_device_and_dtype`): each foreach or fused call takes one such group.
func groupedByDeviceAndDType<Item>(_ items: [Item], tensor: (Item) -> Tensor) -> [[Item]] {
  var groups: [[Item]] = []
  var slots: [String: Int] = [:]
  for item in items {
    let t = tensor(item)
    let key = "\(t.device)/\(t.dtype)"
    if let slot = slots[key] {
      groups[slot].append(item)
    } else {
      slots[key] = groups.count
      groups.append([item])
    }
  }
  return groups
}
