import Testing
import Torch

/// Expects `actual` to equal `expected` element-wise within `atol + rtol * |expected|`.
public func expectClose(
  _ actual: [Double], _ expected: [Double], atol: Double = 1e-6, rtol: Double = 1e-6,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, "count \(actual.count) != \(expected.count)", sourceLocation: sourceLocation)
  for (i, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(a - e) <= atol + rtol * Swift.abs(e)) {
    Issue.record("element \(i): \(a) != \(e)", sourceLocation: sourceLocation)
    return
  }
}

public func expectClose(
  _ tensor: Tensor, _ expected: [Double], atol: Double = 1e-6, rtol: Double = 1e-6,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  expectClose(tensor.doubles(), expected, atol: atol, rtol: rtol, sourceLocation: sourceLocation)
}

/// A float64 tensor with deterministic pseudo-random values in [-1, 1) (independent of libtorch's RNG).
public func sample(_ shape: [Int], seed: UInt64 = 1, requiresGrad: Bool = false) -> Tensor {
  var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
  let count = shape.reduce(1, *)
  let values = (0..<count).map { _ -> Double in
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return Double(state % 2_000_000) / 1_000_000 - 1
  }
  return Tensor(values, shape: shape).requiringGrad(requiresGrad)
}
