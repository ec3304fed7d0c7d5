import Foundation

/// Weight initialisers with PyTorch's arithmetic and random-number consumption (`torch.nn.init`), so the
/// same seed gives the same initial weights as the reference.
public enum Init {
  /// `(fan_in, fan_out)` of a weight: dims 1 and 0 times the receptive field (PyTorch's rule).
  public static func fans(_ tensor: Tensor) -> (fanIn: Int, fanOut: Int) {
    let shape = tensor.shape
    precondition(shape.count >= 2, "fan in and fan out need at least 2 dimensions, got \(shape)")
    let receptive = shape.dropFirst(2).reduce(1, *)
    return (shape[1] * receptive, shape[0] * receptive)
  }

  public static func zeros(_ tensor: Tensor) { withNoGrad { tensor.zero() } }
  public static func ones(_ tensor: Tensor) { withNoGrad { tensor.fill(1) } }
  public static func constant(_ tensor: Tensor, _ value: Double) { withNoGrad { tensor.fill(value) } }

  public static func uniform(_ tensor: Tensor, _ low: Double = 0, _ high: Double = 1) {
    withNoGrad { tensor.uniformInPlace(low, high) }
  }

  public static func normal(_ tensor: Tensor, mean: Double = 0, std: Double = 1) {
    withNoGrad { tensor.normalInPlace(mean: mean, std: std) }
  }

  /// Uniform in ±gain·√(6 / (fan_in + fan_out)).
  public static func xavierUniform(_ tensor: Tensor, gain: Double = 1) {
    let (fanIn, fanOut) = fans(tensor)
    let bound = gain * (2.0 / Double(fanIn + fanOut)).squareRoot() * 3.0.squareRoot()
    uniform(tensor, -bound, bound)
  }

  /// Kaiming uniform with leaky-ReLU slope `a` over fan_in (PyTorch's default for Linear and Conv weights
  /// uses a = √5, i.e. bound 1/√fan_in).
  public static func kaimingUniform(_ tensor: Tensor, a: Double = 0) {
    let gain = (2.0 / (1 + a * a)).squareRoot()
    let bound = gain * (3.0 / Double(fans(tensor).fanIn)).squareRoot()
    uniform(tensor, -bound, bound)
  }

  /// Normal(mean, std) truncated to [low, high] by inverse-CDF sampling, as `trunc_normal_`.
  public static func truncatedNormal(
    _ tensor: Tensor, mean: Double = 0, std: Double = 1, low: Double = -2, high: Double = 2
  ) {
    func cdf(_ x: Double) -> Double { (1 + Foundation.erf(x / 2.0.squareRoot())) / 2 }
    let l = cdf((low - mean) / std)
    let u = cdf((high - mean) / std)
    withNoGrad {
      tensor.uniformInPlace(2 * l - 1, 2 * u - 1)
      let values = tensor.erfinv() * (std * 2.0.squareRoot()) + mean
      tensor.copy(from: values.clamp(min: low, max: high))
    }
  }

  /// PyTorch's default initialisation of a Linear/Conv layer: weight kaiming-uniform (a = √5), bias uniform
  /// in ±1/√fan_in.
  public static func defaultLayer(weight: Tensor, bias: Tensor?) {
    kaimingUniform(weight, a: 5.0.squareRoot())
    if let bias {
      let fanIn = fans(weight).fanIn
      let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
      uniform(bias, -bound, bound)
    }
  }
}
