import Torch

/// `nn.Linear` for layers that are always filled from a checkpoint: construction draws nothing from the
/// global random generator (the weights start at zero), so a network that embeds a pretrained encoder keeps
/// the reference's sequence of draws, where `transformers.AutoModel.from_pretrained` draws none either.
/// Parameters `weight` [out, in] and `bias` [out], as `Linear`.
final class PretrainedLinear: Module, UnaryLayer {
  @Parameter("weight") var weight: Tensor
  @Parameter("bias") var bias: Tensor

  init(_ inFeatures: Int, _ outFeatures: Int) {
    super.init()
    weight = Tensor.zeros([outFeatures, inFeatures])
    bias = Tensor.zeros([outFeatures])
  }

  func callAsFunction(_ input: Tensor) -> Tensor {
    Functional.linear(input, weight: weight, bias: bias)
  }
}

/// `nn.Embedding` filled from a checkpoint (see `PretrainedLinear`): parameter `weight` [count, dim]; the
/// `paddingIndex` row receives no gradient.
final class PretrainedEmbedding: Module, UnaryLayer {
  @Parameter("weight") var weight: Tensor
  let paddingIndex: Int?

  init(_ count: Int, _ dim: Int, paddingIndex: Int? = nil) {
    self.paddingIndex = paddingIndex
    super.init()
    weight = Tensor.zeros([count, dim])
  }

  func callAsFunction(_ indices: Tensor) -> Tensor {
    Functional.embedding(indices, weight: weight, paddingIndex: paddingIndex)
  }
}
