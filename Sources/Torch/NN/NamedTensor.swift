/// A tensor with its dotted PyTorch name (`blocks.0.attn.in_proj_weight`): the element of `StateDict`,
/// `namedParameters()`, `namedBuffers()` and the parameter lists optimizers and EMA take.
public typealias NamedTensor = (name: String, tensor: Tensor)
