/// `y = x Wᵀ + b` (`nn.Linear`): parameters `weight` [out, in] and optional `bias` [out].
public final class Linear: Module, UnaryLayer {
  @Parameter("weight") public var weight: Tensor
  @Parameter("bias") public var bias: Tensor?

  public init(_ inFeatures: Int, _ outFeatures: Int, bias hasBias: Bool = true, dtype: DType = .float32) {
    super.init()
    weight = Tensor.empty([outFeatures, inFeatures], dtype: dtype)
    bias = hasBias ? Tensor.empty([outFeatures], dtype: dtype) : nil
    Init.defaultLayer(weight: weight, bias: bias)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    Functional.linear(input, weight: weight, bias: bias)
  }
}

/// A lookup table (`nn.Embedding`): parameter `weight` [count, dim]; the `paddingIndex` row starts at zero
/// and receives no gradient.
public final class Embedding: Module, UnaryLayer {
  @Parameter("weight") public var weight: Tensor
  public let paddingIndex: Int?

  public init(_ count: Int, _ dim: Int, paddingIndex: Int? = nil) {
    precondition(paddingIndex.map { (-count..<count).contains($0) } ?? true, "padding index out of range")
    self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + count : $0 }
    super.init()
    weight = Tensor.empty([count, dim])
    Init.normal(weight)
    if let index = self.paddingIndex { withNoGrad { weight[index].zero() } }
  }

  public func callAsFunction(_ indices: Tensor) -> Tensor {
    Functional.embedding(indices, weight: weight, paddingIndex: paddingIndex)
  }
}

/// Layer normalisation over the trailing dimensions (`nn.LayerNorm`): `weight` and `bias` when affine.
public final class LayerNorm: Module, UnaryLayer {
  @Parameter("weight") public var weight: Tensor?
  @Parameter("bias") public var bias: Tensor?
  public let normalizedShape: [Int]
  public let eps: Double

  public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias hasBias: Bool = true) {
    self.normalizedShape = normalizedShape
    self.eps = eps
    super.init()
    if elementwiseAffine {
      weight = Tensor.ones(normalizedShape)
      bias = hasBias ? Tensor.zeros(normalizedShape) : nil
    }
  }

  public convenience init(_ dim: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
    self.init([dim], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    Functional.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
  }
}
