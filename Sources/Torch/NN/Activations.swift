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
