import Foundation
import Testing

@testable import ECGData

@Suite struct ResamplerTests {
  @Test func notAKnotSplineReproducesCubics() {
    let x: [Double] = [0, 0.3, 0.5, 1.1, 1.2, 2, 2.7, 3]
    func f(_ t: Double) -> Double { t * t * t - 2 * t * t + 0.5 * t - 1 }
    let spline = CubicSpline(x: x, y: x.map(f))
    let points = stride(from: -0.5, through: 3.5, by: 0.05).map { $0 }
    for (u, v) in zip(points, spline.evaluate(at: points)) { #expect(abs(v - f(u)) < 1e-9, "at \(u)") }
  }

  @Test func leadsSolvedTogetherEqualLeadsSolvedAlone() {
    let leads: [[Double]] = (0..<12).map { c in
      let rate = 0.013 * Double(c + 1)
      return (0..<5000).map { (t: Int) -> Double in sin(Double(t) * rate) + 0.1 * Double(c) }
    }
    let together = Resampler.resample(leads: leads, from: 500, to: 250)
    for (c, lead) in leads.enumerated() { #expect(together[c] == Resampler.resample(lead, from: 500, to: 250)) }
  }

  @Test func shortInputs() {
    #expect(CubicSpline(x: [0, 1, 3], y: [1, 2, 10]).evaluate(at: [2]) == [5])  // parabola x² + 1
    #expect(CubicSpline(x: [0, 2], y: [1, 3]).evaluate(at: [1]) == [2])
    #expect(Resampler.resample([], from: 500, to: 250).isEmpty)
    #expect(Resampler.outputLength(count: 4096, from: 400, to: 250) == 2560)
    #expect(Resampler.outputLength(count: 7501, from: 500, to: 250) == 3750)
  }

  @Test func linspaceMatchesNumPy() {
    let grid = Resampler.linspace(10, 5000)
    #expect(grid[4999] == 10)
    #expect(grid[1] == 10.0 / 4999)
  }
}
