import Torch

/// Where a network's random numbers come from (models.md §1.6).
///
/// By default every draw goes to libtorch's default generator with the reference's call, shape and strides, so
/// `Torch.manualSeed(s)` followed by a call gives PyTorch's values. `RandomDraws(replaying:)` instead hands out
/// recorded tensors in call order (a fixture's `draw/<i>`), checking that each has the shape the call asks for.
/// Networks take one as an argument of every method that draws; dropout is not routed through it.
public final class RandomDraws {
  /// What a custom source is asked for.
  public enum Distribution: Sendable {
    /// Standard normal (`randn`).
    case normal
    /// Uniform on [0, 1) (`rand`).
    case uniform
  }

  /// A custom source of normal and uniform draws: `(distribution, shape, dtype, device) → tensor of that shape`.
  public typealias Source = (Distribution, [Int], DType, Device) -> Tensor

  private let recorded: [Tensor]?
  private let source: Source?
  private var nextIndex = 0

  /// Draws from libtorch's default generator.
  public init() { (recorded, source) = (nil, nil) }

  /// Replays `draws` in order: the i-th call returns `draws[i]` (converted to the requested dtype and device).
  public init(replaying draws: [Tensor]) { (recorded, source) = (draws, nil) }

  /// Takes normal and uniform draws from `source` (e.g. one stream per sample, so results do not depend on how
  /// samples are batched); integer and multinomial draws are not supported by such a source and trap.
  public init(source: @escaping Source) { (recorded, self.source) = (nil, source) }

  /// How many recorded draws have been used (always 0 when drawing from the generator).
  public var consumed: Int { nextIndex }

  /// Whether every recorded draw was used (true when drawing from the generator).
  public var isExhausted: Bool { recorded.map { nextIndex == $0.count } ?? true }

  /// `torch.randn_like(x)`: normal draws with `x`'s shape, dtype, device and strides.
  public func randn(like x: Tensor) -> Tensor {
    replayed(x.shape, x.dtype, x.device, "randn_like") ?? source?(.normal, x.shape, x.dtype, x.device)
      ?? Tensor.randn(like: x)
  }

  /// `torch.rand_like(x)`: uniform [0, 1) draws with `x`'s shape, dtype, device and strides.
  public func rand(like x: Tensor) -> Tensor {
    replayed(x.shape, x.dtype, x.device, "rand_like") ?? source?(.uniform, x.shape, x.dtype, x.device)
      ?? Tensor.rand(like: x)
  }

  /// `torch.randn(shape)`.
  public func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    replayed(shape, dtype, device, "randn") ?? source?(.normal, shape, dtype, device)
      ?? Tensor.randn(shape, dtype: dtype, device: device)
  }

  /// `torch.rand(shape)`.
  public func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    replayed(shape, dtype, device, "rand") ?? source?(.uniform, shape, dtype, device)
      ?? Tensor.rand(shape, dtype: dtype, device: device)
  }

  /// `torch.randint(low, high, shape)` (int64).
  public func randint(_ low: Int, _ high: Int, _ shape: [Int], device: Device = .cpu) -> Tensor {
    precondition(source == nil, "a custom draw source gives normal and uniform draws only, not randint")
    return replayed(shape, .int64, device, "randint") ?? Tensor.randint(low, high, shape, device: device)
  }

  /// `torch.multinomial(probabilities, samples)` over the last dimension of `probabilities` [B, V] → [B, samples].
  public func multinomial(_ probabilities: Tensor, samples: Int) -> Tensor {
    precondition(source == nil, "a custom draw source gives normal and uniform draws only, not multinomial")
    let shape = Array(probabilities.shape.dropLast()) + [samples]
    return replayed(shape, .int64, probabilities.device, "multinomial") ?? probabilities.multinomial(samples)
  }

  private func replayed(_ shape: [Int], _ dtype: DType, _ device: Device, _ op: String) -> Tensor? {
    guard let recorded else { return nil }
    precondition(nextIndex < recorded.count, "\(op) is draw \(nextIndex), but only \(recorded.count) were recorded")
    let draw = recorded[nextIndex]
    precondition(
      draw.shape == shape, "\(op) (draw \(nextIndex)) asks for shape \(shape), the recorded draw has \(draw.shape)")
    nextIndex += 1
    return draw.to(dtype: dtype, device: device)
  }
}
