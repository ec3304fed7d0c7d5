import Testing
import Torch

/// The TF32 switch reaches libtorch: what is set is what libtorch reports back.
@Suite(.serialized) struct Float32MatmulPrecisionTests {
  @Test func everyPrecisionRoundTripsThroughLibtorch() {
    let before = Float32MatmulPrecision.current
    defer { before.makeCurrent() }
    for precision in [Float32MatmulPrecision.high, .medium, .highest] {
      precision.makeCurrent()
      #expect(Float32MatmulPrecision.current == precision)
    }
  }
}
