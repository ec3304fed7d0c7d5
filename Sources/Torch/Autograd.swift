import CTorch

extension Tensor {
  /// Whether operations on this tensor are recorded for differentiation. Setting it is allowed on leaves.
  public var requiresGrad: Bool {
    get { ct_requires_grad(handle) }
    set { check(ct_set_requires_grad(handle, newValue), "requires_grad_(\(newValue))") }
  }

  /// Sets `requiresGrad` and returns `self`, for chaining.
  @discardableResult
  public func requiringGrad(_ flag: Bool = true) -> Tensor {
    requiresGrad = flag
    return self
  }

  /// Whether the tensor was created by the user rather than by a recorded operation.
  public var isLeaf: Bool { ct_is_leaf(handle) }

  /// Whether the tensor is the output of a recorded operation.
  public var hasGradFunction: Bool { ct_has_grad_fn(handle) }

  /// The gradient accumulated by `backward()`, or nil. Assign nil to clear it.
  public var grad: Tensor? {
    get {
      ct_clear_error()
      guard let g = ct_grad(handle) else {
        if !String(cString: ct_last_error()).isEmpty { torchFailure("grad") }
        return nil
      }
      return Tensor(handle: g)
    }
    set { check(ct_set_grad(handle, newValue?.handle), "set grad") }
  }

  /// Keeps the gradient of a non-leaf tensor after `backward()`.
  public func retainGrad() { check(ct_retain_grad(handle), "retain_grad") }

  /// Accumulates the gradients of this tensor (a scalar, or with an upstream `gradient` of its shape) into
  /// the leaves that require them.
  public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
    check(ct_backward(handle, gradient?.handle, retainGraph), "backward")
  }

  /// The same data cut off from the autograd graph.
  public func detach() -> Tensor { wrap(ct_detach(handle), "detach") }
}

/// Whether operations on this thread record gradients.
public var isGradEnabled: Bool { ct_is_grad_enabled() }

/// Runs `body` with gradient recording switched off on this thread (`torch.no_grad()`).
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
  try withGradEnabled(false, body)
}

/// Runs `body` with gradient recording set to `enabled` on this thread (`torch.set_grad_enabled`).
public func withGradEnabled<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
  let previous = ct_set_grad_enabled(enabled)
  defer { _ = ct_set_grad_enabled(previous) }
  return try body()
}

/// Runs `body` in inference mode on this thread (`torch.inference_mode()`): no autograd bookkeeping at all;
/// tensors created inside cannot be used in autograd later.
public func withInferenceMode<R>(_ body: () throws -> R) rethrows -> R {
  guard let guardHandle = ct_inference_mode_enter() else { torchFailure("inference_mode") }
  defer { ct_inference_mode_exit(guardHandle) }
  return try body()
}
