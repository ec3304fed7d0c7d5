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
