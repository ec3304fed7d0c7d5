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
