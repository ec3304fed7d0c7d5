import Foundation
import Testing
import Torch

@testable import ECGEvaluation

struct TasksResultsTests {
  @Test func floatsAreWrittenAsPythonsJSONModuleWritesThem() {
    // Expected strings from `json.dumps` of the same values in Python 3.
    let cases: [(Double, String)] = [
      (1e16, "1e+16"), (1e15, "1000000000000000.0"), (1e-05, "1e-05"), (0.0001, "0.0001"), (0.1, "0.1"),
      (100, "100.0"), (-0.0, "-0.0"), (0, "0.0"), (123456.789, "123456.789"), (1.5e-300, "1.5e-300"),
      (pow(2, 70), "1.1805916207174113e+21"), (.nan, "NaN"), (.infinity, "Infinity"), (-.infinity, "-Infinity"),
      (0.11552929878234863, "0.11552929878234863"), (-2.5e-7, "-2.5e-07"),
    ]
    for (value, expected) in cases { #expect(pythonFloat(value) == expected, "\(value)") }
  }

  @Test func resultsKeepTheTaskOrderAndTheReferenceLayout() {
    var first = MetricValues()
    first["mse"] = 1
    first["a/t=0.1/I"] = .infinity
    var second = MetricValues()
    second["mse"] = 3
    second["a/t=0.1/I"] = 2
    let outcome = EvaluationOutcome(task: "reconstruction", seeds: [0, 1], perSeed: [first, second], figures: [])
    #expect(
      resultsJSON(outcome) == """
        {
          "mse": {
            "mean": 2.0,
            "std": 1.0,
            "values": [
              1.0,
              3.0
            ]
          },
          "a/t=0.1/I": {
            "mean": Infinity,
            "std": NaN,
            "values": [
              Infinity,
              2.0
            ]
          }
        }
        """)
    #expect(jsonString("é\"\\\n") == "\"\\u00e9\\\"\\\\\\n\"")
  }

  @Test func theReferenceSplitIsNumPysSeededPermutation() {
    // np.random.RandomState(0).permutation(10) = [2 8 4 9 1 6 7 3 0 5]; n_test = 10 − ⌊7.0⌋ = 3.
    #expect(EvaluationWindows.referenceTestOrder(count: 10, seed: 0) == [2, 8, 4])
    // np.random.RandomState(3).permutation(7) = [4 6 5 3 1 0 2]; n_test = 7 − ⌊4.9⌋ = 3.
    #expect(EvaluationWindows.referenceTestOrder(count: 7, seed: 3) == [4, 6, 5])
  }

  @Test func lostLeadsAreDerivedByEinthovenAndGoldberger() {
    let length = 4
    let generated = Tensor((0..<(7 * length)).map { Float($0) }, shape: [7, length])
    let condition = Tensor([Float](repeating: 100, count: length))
    let ecg = stitchTwelveLeads(generated: generated, condition: condition, conditionLead: 6)
    #expect(ecg.shape == [12, length])
    let rows = (0..<12).map { ecg[$0].floats() }
    #expect(rows[6] == [100, 100, 100, 100])  // V1 is the condition
    #expect(rows[0] == [0, 1, 2, 3] && rows[1] == [4, 5, 6, 7])  // I, II: the first generated leads
    #expect(rows[7] == [8, 9, 10, 11])  // V2 follows (V1 skipped)
    for t in 0..<length {
      let (one, two) = (rows[0][t], rows[1][t])
      #expect(rows[2][t] == two - one)  // III
      #expect(rows[3][t] == -(one + two) / 2)  // aVR
      #expect(rows[4][t] == (one - rows[2][t]) / 2)  // aVL
      #expect(rows[5][t] == (two + rows[2][t]) / 2)  // aVF
    }
    #expect(evaluatedLeadNames(conditionLead: 6) == ["I", "II", "V2", "V3", "V4", "V5", "V6"])
  }

  /// Other suites draw from libtorch's global generator concurrently, so this runs in a child process of its own.
  @Test func perSampleNoiseLeavesTheGlobalGeneratorAlone() async {
    await #expect(processExitsWith: .success) {
      Torch.manualSeed(1)
      let before = Tensor.randn([3]).floats()
      Torch.manualSeed(1)
      let noise = PerSampleNoise(seed: 5, indices: [0, 1, 2]).draws()
      _ = (noise.randn([3, 2, 4]), noise.randn([3, 2, 4]))
      precondition(Tensor.randn([3]).floats() == before, "the global generator moved")
    }
  }

  @Test func perSampleNoiseDoesNotDependOnTheBatch() throws {
    let together = PerSampleNoise(seed: 5, indices: [0, 1, 2]).draws()
    let a = together.randn([3, 2, 4])
    let b = together.randn([3, 2, 4])
    let alone = PerSampleNoise(seed: 5, indices: [1]).draws()
    #expect(alone.randn([1, 2, 4]).floats() == a[1].floats())
    #expect(alone.randn([1, 2, 4]).floats() == b[1].floats(), "each sample's stream continues across draws")
    #expect(a[0].floats() != a[1].floats())
    let otherSeed = PerSampleNoise(seed: 6, indices: [1]).draws()
    #expect(otherSeed.randn([1, 2, 4]).floats() != a[1].floats())
  }
}
