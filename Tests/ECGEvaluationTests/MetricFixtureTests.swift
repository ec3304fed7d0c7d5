import ECGEvaluation
import Foundation
import Testing
import Torch
import TorchTestSupport

/// Every case under `$ECG_REFERENCE_DIR/metrics`, recognised by what it holds (not by its name), so other fixture
/// folders with other data pass unchanged; a case of no known kind fails.
@Suite struct MetricFixtureTests {
  @Test func fixtureFolderHasCases() {
    #expect(!fixtureNames("metrics").isEmpty, "no metric fixtures in \(FixtureCase.referenceDirectory.path)/metrics")
  }

  @Test(arguments: fixtureNames("metrics"))
  func referenceCase(_ name: String) throws {
    let fixture = try Self.load(name)
    let json = fixture.json
    let expected = json["expected"] as? [String: Any] ?? [:]
    if let runs = json["runs"] as? [[String: Double]] {
      try checkAggregation(fixture, runs: runs, expected: expected)
    } else if let entries = json["entries"] as? [[String: Any]] {
      try checkForecasts(fixture, entries: entries)
    } else if let window = expected["ssim_window"] as? Int, let rate = expected["sf"] as? Int {
      try checkReconstruction(fixture, samplingRate: rate, window: window)
    } else if expected["fid"] != nil {
      try checkFeatureDistances(fixture, expected: expected)
    } else if expected["auroc_macro"] != nil {
      try checkClassification(fixture, expected: expected)
    } else {
      Issue.record("\(name): unknown metric case (keys \(json.keys.sorted()), expected \(expected.keys.sorted()))")
    }
  }

  /// Metric cases without tensors have no safetensors file.
  static func load(_ name: String) throws -> FixtureCase {
    let url = FixtureCase.referenceDirectory.appendingPathComponent("metrics/\(name).safetensors")
    if FileManager.default.fileExists(atPath: url.path) { return try FixtureCase.load("metrics", name) }
    let jsonURL = url.deletingPathExtension().appendingPathExtension("json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any] ?? [:]
    return FixtureCase(name: name, json: json, tensors: StateDict())
  }

  func expectClose(_ got: Double, _ want: Double?, _ fixture: FixtureCase, _ what: String) {
    let (a, r) = fixture.tolerance
    guard let want else {
      #expect(got.isNaN, "\(fixture.name) \(what): got \(got), want NaN")
      return
    }
    if want.isInfinite || want.isNaN {
      #expect(got == want || (got.isNaN && want.isNaN), "\(fixture.name) \(what): got \(got), want \(want)")
    } else {
      #expect(Swift.abs(got - want) <= a + r * Swift.abs(want), "\(fixture.name) \(what): got \(got), want \(want)")
    }
  }

  /// JSON numbers, `null` (NaN) and the strings "inf"/"-inf"/"nan".
  func number(_ value: Any?) -> Double? {
    switch value {
    case let number as Double: number
    case let number as Int: Double(number)
    case let text as String: Double(text.replacingOccurrences(of: "inf", with: "infinity"))
    default: nil
    }
  }

  func checkAggregation(_ fixture: FixtureCase, runs: [[String: Double]], expected: [String: Any]) throws {
    let got = aggregateSeeds(runs)
    #expect(Set(got.keys) == Set(expected.keys), "\(fixture.name): keys \(got.keys.sorted())")
    for (key, value) in expected {
      let want = try #require(value as? [String: Any])
      let aggregate = try #require(got[key])
      expectClose(aggregate.mean, number(want["mean"]), fixture, "\(key).mean")
      expectClose(aggregate.std, number(want["std"]), fixture, "\(key).std")
      #expect(aggregate.values == (want["values"] as? [Double] ?? []), "\(fixture.name) \(key).values")
    }
  }

  func checkForecasts(_ fixture: FixtureCase, entries: [[String: Any]]) throws {
    for entry in entries {
      let name = entry["name"] as? String ?? "?"
      let metrics = ForecastMetrics(
        prediction: entry["pred"] as? [Double] ?? [], truth: entry["gt"] as? [Double] ?? [],
        context: entry["context"] as? [Double])
      let want = try #require(entry["metrics"] as? [String: Any])
      let got: [String: Double] = [
        "mse": metrics.mse, "mae": metrics.mae, "mase": metrics.mase, "pearson_r": metrics.pearsonR,
        "snr_db": metrics.snrDB,
      ]
      #expect(Set(want.keys) == Set(got.keys), "\(fixture.name) \(name): metric names \(want.keys.sorted())")
      for (key, value) in want { expectClose(got[key] ?? .nan, number(value), fixture, "\(name).\(key)") }
    }
  }

  func checkReconstruction(_ fixture: FixtureCase, samplingRate: Int, window: Int) throws {
    #expect(ReconstructionMetrics.ssimWindow(samplingRate: samplingRate) == window, "\(fixture.name): SSIM window")
    let inputs = fixture.group("input")
    let metrics = ReconstructionMetrics(
      prediction: try #require(inputs["pred"]), target: try #require(inputs["target"]), samplingRate: samplingRate)
    let got = ["mse": metrics.mse, "mae": metrics.mae, "psnr": metrics.psnr, "ssim": metrics.ssim]
    let outputs = fixture.group("output")
    #expect(Set(outputs.names) == Set(got.keys), "\(fixture.name): outputs \(outputs.names)")
    for (key, want) in outputs {
      guard let value = got[key] else { continue }
      expectFixtureClose(value, want, fixture, "output/\(key)")
    }
  }

  func checkFeatureDistances(_ fixture: FixtureCase, expected: [String: Any]) throws {
    let inputs = fixture.group("input")
    let real = try #require(inputs["real"])
    let generated = try #require(inputs["generated"])
    let got: [String: Double] = [
      "fid": frechetDistance(real: real, generated: generated),
      "mmd": maximumMeanDiscrepancy(real: real, generated: generated),
      "fid_identical": frechetDistance(real: real, generated: real),
      "mmd_identical": maximumMeanDiscrepancy(real: real, generated: real),
    ]
    for (key, value) in expected {
      guard let computed = got[key] else {
        Issue.record("\(fixture.name): unknown expected value \(key)")
        continue
      }
      // Values that are 0 up to rounding are compared with the absolute tolerance only.
      expectClose(computed, number(value), fixture, key)
    }
  }

  func checkClassification(_ fixture: FixtureCase, expected: [String: Any]) throws {
    let inputs = fixture.group("input")
    let scores = try #require(inputs["scores"])
    let labels = try #require(inputs["labels"])
    let classes = scores.shape[1]
    let got = ClassificationScores(scores: scores, labels: labels)
    let values = ["auroc_macro": got.aurocMacro, "auprc_macro": got.auprcMacro, "f1_macro_at_0": got.f1Macro]
    for (key, value) in expected {
      guard let computed = values[key] else {
        Issue.record("\(fixture.name): unknown expected value \(key)")
        continue
      }
      expectClose(computed, number(value), fixture, key)
    }
    if let perClass = fixture.group("output")["auroc_per_class"] {
      expectFixtureClose(Tensor(got.aurocPerClass, shape: [classes]), perClass, fixture, "output/auroc_per_class")
    }
  }
}
