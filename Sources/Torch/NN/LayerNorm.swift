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
