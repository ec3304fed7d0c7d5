extension RandomNumberGenerator {
  /// A uniform integer in `0..<bound` by rejection sampling (unbiased, identical on every platform).
  public mutating func uniformInt(below bound: Int) -> Int {
    precondition(bound > 0, "the bound must be positive")
    let n = UInt64(bound)
    let limit = UInt64.max - UInt64.max % n
    while true {
      let x = next()
      if x < limit { return Int(x % n) }
    }
  }

  /// A uniformly random permutation of `0..<count` (Fisher–Yates).
  public mutating func permutation(_ count: Int) -> [Int] {
    var values = Array(0..<count)
    if count < 2 { return values }
    for i in stride(from: count - 1, to: 0, by: -1) { values.swapAt(i, uniformInt(below: i + 1)) }
    return values
  }
}
