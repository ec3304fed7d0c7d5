import CTorch

/// How a loss reduces over elements (`reduction=` in PyTorch).
public enum Reduction: Int32, Sendable {
  case none = 0
  case mean = 1
  case sum = 2
}

/// Approximation used by GELU.
public enum GELUApproximation: Int32, Sendable {
  /// The exact form with the error function.
  case none = 0
  case tanh = 1
}

/// Padding modes of `Functional.pad`.
public enum PaddingMode: Int32, Sendable {
  case constant = 0
  case reflect = 1
  case replicate = 2
  case circular = 3
}

/// Stateless neural-network operations, PyTorch's `torch.nn.functional`.
public enum Functional {
  /// `x W^T + b`.
  public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    wrap(ct_linear(x.handle, weight.handle, bias?.handle), "linear of \(x.shape) with weight \(weight.shape)")
  }

  /// 1-D convolution of [batch, channels, length] input with [out, in / groups, kernel] weight.
  public static func conv1d(
    _ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
    groups: Int = 1
  ) -> Tensor {
    wrap(
      ct_conv1d(x.handle, weight.handle, bias?.handle, Int64(stride), Int64(padding), Int64(dilation), Int64(groups)),
      "conv1d of \(x.shape) with weight \(weight.shape)")
  }

  /// Batch normalisation; in training mode the running statistics (when given) are updated in place.
  public static func batchNorm(
    _ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil, bias: Tensor? = nil,
    training: Bool, momentum: Double = 0.1, eps: Double = 1e-5
  ) -> Tensor {
    wrap(
      ct_batch_norm(
        x.handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle, training, momentum, eps),
      "batch_norm of \(x.shape)")
  }

  /// Layer normalisation over the trailing `normalizedShape` dimensions.
  public static func layerNorm(
    _ x: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5
  ) -> Tensor {
    let shape = normalizedShape.map(Int64.init)
    return wrap(
      ct_layer_norm(x.handle, shape, Int64(shape.count), weight?.handle, bias?.handle, eps),
      "layer_norm of \(x.shape) over \(normalizedShape)")
  }

  /// Rows of `weight` at `indices`; rows at `paddingIndex` get no gradient.
  public static func embedding(_ indices: Tensor, weight: Tensor, paddingIndex: Int? = nil) -> Tensor {
    wrap(ct_embedding(weight.handle, indices.handle, Int64(paddingIndex ?? -1)), "embedding")
  }

  /// Zeroes elements with probability `p` and scales the rest by `1 / (1 - p)` when training.
  public static func dropout(_ x: Tensor, p: Double, training: Bool) -> Tensor {
    wrap(ct_dropout(x.handle, p, training), "dropout")
  }

  /// Scaled dot-product attention over [..., length, headDim] queries, keys and values.
  /// `mask` is boolean (true = may attend) or additive float; `scale` defaults to `1 / sqrt(headDim)`.
  ///
  /// `kernel` picks the implementation (default: `AttentionKernel.environmentDefault`, from
  /// `ECG_ATTENTION_KERNEL`). `automatic` runs `FusedAttention` on the CPU when `dropout > 0` — libtorch's
  /// CPU flash kernel has no dropout and its math path stores [B, h, Lq, Lk] tensors — and libtorch's
  /// `scaled_dot_product_attention` otherwise (always on CUDA). Both give zeros for fully masked rows.
  public static func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, dropout: Double = 0, isCausal: Bool = false,
    scale: Double? = nil, kernel: AttentionKernel? = nil
  ) -> Tensor {
    let useFused: Bool
    switch kernel ?? AttentionKernel.environmentDefault {
    case .libtorch: useFused = false
    case .automatic:
      useFused =
        dropout > 0
        && FusedAttention.applies(query: query, key: key, value: value, mask: mask, dropout: dropout)
    case .fused:
      useFused = FusedAttention.applies(query: query, key: key, value: value, mask: mask, dropout: dropout)
    }
    if useFused {
      return FusedAttention.attention(
        query: query, key: key, value: value, mask: mask, dropout: dropout, isCausal: isCausal, scale: scale)
    }
    return wrap(
      ct_sdpa(query.handle, key.handle, value.handle, mask?.handle, dropout, isCausal, scale ?? 0),
      "scaled_dot_product_attention of \(query.shape), \(key.shape), \(value.shape)")
  }

  public static func adaptiveAvgPool1d(_ x: Tensor, outputSize: Int) -> Tensor {
    wrap(ct_adaptive_avg_pool1d(x.handle, Int64(outputSize)), "adaptive_avg_pool1d")
  }

  /// Pads the last dimensions: `pads` lists (before, after) pairs starting from the last dimension.
  public static func pad(_ x: Tensor, _ pads: [Int], mode: PaddingMode = .constant, value: Double = 0) -> Tensor {
    let p = pads.map(Int64.init)
    return wrap(ct_pad(x.handle, p, Int64(p.count), mode.rawValue, value), "pad(\(pads))")
  }

  /// `x / max(‖x‖_p, eps)` along `dim`.
  public static func normalize(_ x: Tensor, p: Double = 2, dim: Int = 1, eps: Double = 1e-12) -> Tensor {
    x / x.norm(p, dims: [dim], keepDim: true).clamp(min: eps).expand(as: x)
  }

  public static func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    wrap(ct_mse_loss(input.handle, target.handle, reduction.rawValue), "mse_loss of \(input.shape) and \(target.shape)")
  }

  public static func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    wrap(ct_l1_loss(input.handle, target.handle, reduction.rawValue), "l1_loss of \(input.shape) and \(target.shape)")
  }

  /// Cross-entropy of [N, C] (or [N, C, ...]) logits against class indices; targets equal to
  /// `ignoreIndex` contribute nothing (and are excluded from the mean).
  public static func crossEntropy(
    _ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean,
    ignoreIndex: Int = -100, labelSmoothing: Double = 0
  ) -> Tensor {
    wrap(
      ct_cross_entropy(
        logits.handle, target.handle, weight?.handle, reduction.rawValue, Int64(ignoreIndex), labelSmoothing),
      "cross_entropy of \(logits.shape) and \(target.shape)")
  }

  public static func binaryCrossEntropyWithLogits(
    _ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, positiveWeight: Tensor? = nil,
    reduction: Reduction = .mean
  ) -> Tensor {
    wrap(
      ct_bce_with_logits(logits.handle, target.handle, weight?.handle, positiveWeight?.handle, reduction.rawValue),
      "binary_cross_entropy_with_logits of \(logits.shape) and \(target.shape)")
  }
}

extension Tensor {
  public func relu() -> Tensor { unary(CT_RELU, "relu") }
  public func silu() -> Tensor { unary(CT_SILU, "silu") }
  public func gelu(approximate: GELUApproximation = .none) -> Tensor {
    wrap(ct_gelu(handle, approximate.rawValue), "gelu")
  }
  public func softmax(dim: Int) -> Tensor { wrap(ct_softmax(handle, Int64(dim)), "softmax(dim: \(dim)) of \(shape)") }
  public func logSoftmax(dim: Int) -> Tensor {
    wrap(ct_log_softmax(handle, Int64(dim)), "log_softmax(dim: \(dim)) of \(shape)")
  }
}
