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
