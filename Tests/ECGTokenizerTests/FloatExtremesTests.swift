import Foundation
import Testing

@testable import ECGTokenizer

/// The eight-lane min/max equals the scalar fold for every length around the lane width, with the extremes at
/// any position.
@Suite struct FloatExtremesTests {
  @Test func matchesTheScalarFoldAtEveryLengthAndPosition() {
    #expect([Float]().withUnsafeBufferPointer { FloatExtremes.of($0) } == nil)
    for length in 1...27 {
      for low in 0..<length {
        let high = (low * 7 + 3) % length
        var values = (0..<length).map { Float(sin(Double($0 * 13 + length))) * 3 }
        values[low] = -9
        values[high] = 9
        let extremes = values.withUnsafeBufferPointer { FloatExtremes.of($0) }
        #expect(extremes?.low == values.min() && extremes?.high == values.max(), "\(values)")
      }
    }
  }
}
