import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators", OOPSLA):
/// used to expand seeds into well-mixed generator states.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates the generator with `seed` as its state.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256** (Blackman & Vigna 2021, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4)):
/// a small, fast, seedable generator whose integer and uniform outputs are identical on every platform.
///
/// Streams are addressed by `(seed, stream)`, so record `i` of a synthetic dataset draws from its own
/// stream whatever else is generated, in any order or in parallel.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64

  /// Creates the generator for stream `stream` of `seed`; the state is filled by SplitMix64.
  public init(seed: UInt64, stream: UInt64 = 0) {
    // Mixing the seed first keeps (seed, stream) and (seed + 1, stream - golden) from colliding.
    var seedMixer = SplitMix64(seed: seed)
    var mixer = SplitMix64(seed: seedMixer.next() ^ (stream &* 0xD1B5_4A32_D192_ED03))
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
  }

  /// Creates the generator from a raw state, which must not be all zero.
  public init(state: (UInt64, UInt64, UInt64, UInt64)) {
    precondition(state != (0, 0, 0, 0), "xoshiro256** needs a non-zero state")
    (s0, s1, s2, s3) = state
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }
}

extension RandomNumberGenerator {
  /// A uniform double in [0, 1) from the top 53 bits (exact on every platform).
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform double in `range` (half-open in practice).
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextUnit()
  }

  /// `true` with probability `p`.
  public mutating func bernoulli(_ p: Double) -> Bool { nextUnit() < p }

  /// A standard normal draw (Box–Muller; one draw per call, the second value is discarded so each
  /// call consumes exactly two uniforms).
  public mutating func normal() -> Double {
    let u1 = 1 - nextUnit()  // (0, 1]: log stays finite
    let u2 = nextUnit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A normal draw with the given mean and standard deviation.
  public mutating func normal(mean: Double, deviation: Double) -> Double {
    mean + deviation * normal()
  }
}
