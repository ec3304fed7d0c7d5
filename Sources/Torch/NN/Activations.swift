/// Passes its input through (`nn.Identity`).
public final class Identity: Module, UnaryLayer {
  override public init() { super.init() }
  public func callAsFunction(_ input: Tensor) -> Tensor { input }
}

/// GELU, exact (erf) or tanh-approximated (`nn.GELU`).
public final class GELU: Module, UnaryLayer {
  public let approximation: GELUApproximation
  public init(approximate: GELUApproximation = .none) {
    approximation = approximate
    super.init()
  }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.gelu(approximate: approximation) }
}

/// `x · sigmoid(x)` (`nn.SiLU`).
public final class SiLU: Module, UnaryLayer {
  override public init() { super.init() }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.silu() }
}

/// `max(x, 0)` (`nn.ReLU`).
public final class ReLU: Module, UnaryLayer {
  override public init() { super.init() }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// Tanh (`nn.Tanh`).
public final class Tanh: Module, UnaryLayer {
  override public init() { super.init() }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// Zeroes elements with probability `p` in training mode, scaling the others by 1/(1−p) (`nn.Dropout`).
public final class Dropout: Module, UnaryLayer {
  public let p: Double
  public init(_ p: Double = 0.5) {
    precondition((0...1).contains(p), "dropout probability must be in [0, 1], got \(p)")
    self.p = p
    super.init()
  }
  public func callAsFunction(_ input: Tensor) -> Tensor {
    p == 0 ? input : Functional.dropout(input, p: p, training: isTraining)
  }
}

/// Averages [N, C, L] into [N, C, outputSize] (`nn.AdaptiveAvgPool1d`).
public final class AdaptiveAvgPool1d: Module, UnaryLayer {
  public let outputSize: Int
  public init(_ outputSize: Int) {
    self.outputSize = outputSize
    super.init()
  }
  public func callAsFunction(_ input: Tensor) -> Tensor { Functional.adaptiveAvgPool1d(input, outputSize: outputSize) }
}
