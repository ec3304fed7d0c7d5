import ECGData
import Testing

@Suite struct SyntheticRandomTests {
  @Test func splitMix64MatchesTheReferenceSequence() {
    // First outputs of Vigna's splitmix64.c for seed 1234567.
    var rng = SplitMix64(seed: 1_234_567)
    #expect(rng.next() == 6_457_827_717_110_365_317)
    #expect(rng.next() == 3_203_168_211_198_807_973)
    #expect(rng.next() == 9_817_491_932_198_370_423)
  }

  @Test func xoshiroMatchesTheReferenceSequence() {
    // xoshiro256starstar.c from the state {1, 2, 3, 4}.
    var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
    #expect((0..<3).map { _ in rng.next() } == [11520, 0, 1_509_978_240])
  }

  @Test func streamsAreReproducibleAndDistinct() {
    var a = Xoshiro256StarStar(seed: 7, stream: 3)
    var b = Xoshiro256StarStar(seed: 7, stream: 3)
    var c = Xoshiro256StarStar(seed: 7, stream: 4)
    var d = Xoshiro256StarStar(seed: 8, stream: 3)
    let xa = (0..<16).map { _ in a.next() }
    #expect(xa == (0..<16).map { _ in b.next() })
    #expect(xa != (0..<16).map { _ in c.next() })
    #expect(xa != (0..<16).map { _ in d.next() })
  }

  @Test func uniformAndNormalDrawsHaveTheRightMoments() {
    var rng = Xoshiro256StarStar(seed: 99)
    let n = 200_000
    var (sum, sumSquares, low, high) = (0.0, 0.0, 1.0, 0.0)
    for _ in 0..<n {
      let u = rng.nextUnit()
      low = min(low, u)
      high = max(high, u)
      sum += u
    }
    #expect(low >= 0 && high < 1)
    #expect(abs(sum / Double(n) - 0.5) < 0.005)
    sum = 0
    for _ in 0..<n {
      let z = rng.normal()
      sum += z
      sumSquares += z * z
    }
    #expect(abs(sum / Double(n)) < 0.01)
    #expect(abs(sumSquares / Double(n) - 1) < 0.02)
  }
}
