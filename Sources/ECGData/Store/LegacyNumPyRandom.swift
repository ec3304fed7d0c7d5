/// NumPy's legacy `RandomState` (MT19937 with `init_genrand` seeding) as far as `permutation` needs it.
public struct LegacyNumPyRandom {
  private var state = [UInt32](repeating: 0, count: 624)
  private var position = 624

  /// Seeds like `numpy.random.RandomState(seed)`.
  public init(seed: UInt32) {
    state[0] = seed
    for i in 1..<624 {
      state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
    }
  }

  /// The next 32-bit output of MT19937.
  public mutating func nextUInt32() -> UInt32 {
    if position >= 624 {
      for i in 0..<624 {
        let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
        state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
      }
      position = 0
    }
    var y = state[position]
    position += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// A value in 0...max by masked rejection sampling (NumPy's legacy `random_interval`).
  mutating func interval(_ max: UInt64) -> UInt64 {
    guard max > 0 else { return 0 }
    var mask = max
    for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
    if max <= 0xFFFF_FFFF {
      while true {
        let value = UInt64(nextUInt32()) & mask
        if value <= max { return value }
      }
    }
    while true {
      let value = (UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())) & mask
      if value <= max { return value }
    }
  }

  /// `RandomState(seed).permutation(n)`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var values = Array(0..<n)
    guard n > 1 else { return values }
    for i in stride(from: n - 1, through: 1, by: -1) {
      let j = Int(interval(UInt64(i)))
      values.swapAt(i, j)
    }
    return values
  }
}
