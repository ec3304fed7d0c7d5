import Testing

@testable import ECGEvaluation

@Suite struct PlotDecimationTests {
  @Test func longSignalsKeepTheirPeaksAndTroughs() {
    var values = [Float](repeating: 0, count: 10_000)
    values[4321] = 3
    values[8765] = -2
    let points = decimatedPoints(values, samplingRate: 500, maxPoints: 400)
    #expect(points.count == 400)
    #expect(points.contains { $0.y == 3 && $0.x == 4321.0 / 500 })
    #expect(points.contains { $0.y == -2 && $0.x == 8765.0 / 500 })
    #expect(zip(points, points.dropFirst()).allSatisfy { $0.x <= $1.x })
  }

  @Test func shortSignalsKeepEverySample() {
    let points = decimatedPoints([1, 2, 3], start: 2, samplingRate: 2, maxPoints: 400)
    #expect(points.map(\.x) == [1, 1.5, 2])
    #expect(points.map(\.y) == [1, 2, 3])
  }

  @Test func niceTicksAndLabels() {
    let scale = LinearScale(domain: -0.3...1.2, range: (0, 100))
    #expect(scale.ticks(count: 3) == [0, 0.5, 1])
    #expect(LinearScale.label(0.5, step: 0.5) == "0.5")
    #expect(LinearScale.label(2.5, step: 2.5) == "2.5")
    #expect(LinearScale.label(-0.0001, step: 1) == "0")
    #expect(scale(1.2) == 100)
  }
}
