/// 1-D convolution (`nn.Conv1d`): `weight` [out, in / groups, kernel] and optional `bias` [out].
public final class Conv1d: Module, UnaryLayer {
  @Parameter("weight") public var weight: Tensor
  @Parameter("bias") public var bias: Tensor?
  public let stride: Int
  public let padding: Int
  public let dilation: Int
  public let groups: Int

  public init(
    _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
    groups: Int = 1, bias hasBias: Bool = true
  ) {
    precondition(inChannels % groups == 0 && outChannels % groups == 0, "channels must be divisible by groups")
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    self.groups = groups
    super.init()
    weight = Tensor.empty([outChannels, inChannels / groups, kernelSize])
    bias = hasBias ? Tensor.empty([outChannels]) : nil
    Init.defaultLayer(weight: weight, bias: bias)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    Functional.conv1d(
      input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
  }
}
