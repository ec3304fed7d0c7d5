/// Averages [N, C, L] into [N, C, outputSize] (`nn.AdaptiveAvgPool1d`).
public final class AdaptiveAvgPool1d: Module, UnaryLayer {
  public let outputSize: Int
  public init(_ outputSize: Int) {
    self.outputSize = outputSize
    super.init()
  }
  public func callAsFunction(_ input: Tensor) -> Tensor { Functional.adaptiveAvgPool1d(input, outputSize: outputSize) }
}
