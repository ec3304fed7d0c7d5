import ECGModels
import Torch

/// One random stream per evaluated sample, so a sample's noise does not depend on the batch it is evaluated in:
/// batch size 32 gives the numbers of batch size 1 (up to float rounding of batched kernels).
///
/// Sample `i` of an evaluation with seed `s` draws from a CPU generator of its own seeded with a mix of `s` and
/// `i`, which keeps its stream between draws (a DDPM sampler draws once per step). The default generator is
/// neither used nor moved, so draws elsewhere in the process (another thread) do not change these numbers. The
/// reference draws every sample's noise from one global stream at batch size 1, so its numbers are reproduced by
/// injected draws, not by seeds (evaluation.md §1.1, notes for reproduction).
final class PerSampleNoise {
  private let generators: [CPUGenerator]

  /// Streams for the samples at `indices` (positions in the evaluation order) of seed `seed`.
  init(seed: UInt64, indices: [Int]) {
    generators = indices.map { CPUGenerator(seed: Self.streamSeed(seed: seed, index: $0)) }
  }

  /// A seed per (evaluation seed, sample) pair: SplitMix64 of the two, so neighbouring pairs do not share streams.
  static func streamSeed(seed: UInt64, index: Int) -> UInt64 {
    var z = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &+ 0x6A09_E667_F3BC_C909
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return (z ^ (z >> 31)) & 0x7FFF_FFFF_FFFF_FFFF
  }

  /// Draws for one network call over these samples: each [B, …] draw is the concatenation of every sample's
  /// own [1, …] draw.
  func draws() -> RandomDraws {
    RandomDraws { [self] distribution, shape, dtype, device in
      draw(distribution, shape: shape).to(dtype: dtype, device: device)
    }
  }

  private func draw(_ distribution: RandomDraws.Distribution, shape: [Int]) -> Tensor {
    precondition(shape.first == generators.count, "a draw of shape \(shape) for \(generators.count) samples")
    let one = [1] + shape.dropFirst()
    let rows = generators.map { distribution == .normal ? $0.randn(one) : $0.rand(one) }
    return Tensor.cat(rows, dim: 0)
  }
}
