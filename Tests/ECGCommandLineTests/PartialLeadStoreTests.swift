import ECGData
import ECGEvaluation
import Foundation
import Testing

@testable import ECGCommandLine

/// Stores made from records with fewer than 12 leads (III, aVR, aVL and aVF missing, as in many Holter and
/// 8-lead exports): `ecg preprocess` keeps them with zero-filled leads and `lead_mask` false.
@Suite(.serialized) struct PartialLeadStoreTests {
  static let eightLeads = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"]

  /// A WFDB folder of 10 s records at 500 Hz, one per entry of `leadSets`, preprocessed into `folder/store`.
  static func store(in folder: URL, leadSets: [[String]]) async throws -> String {
    let raw = folder.appendingPathComponent("raw")
    for (record, leads) in leadSets.enumerated() {
      let signals = leads.enumerated().map { c, lead in
        WFDBWriter.Signal(
          name: lead, gain: 1000,
          physical: (0..<5000).map { t in 0.8 * sin(Double(t) * 0.01 * Double(1 + (c + record) % 7)) })
      }
      try WFDBWriter.write(name: "r\(record)", folder: raw, samplingFrequency: 500, signals: signals, comments: [])
    }
    let out = folder.appendingPathComponent("store").path
    try await PreprocessCommand.parse(["--source", "wfdb", "--input", raw.path, "--out", out, "--quiet"]).run()
    return out
  }

  static func temporaryFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
  }

  /// `data info` listed all twelve leads with no word on the absent ones.
  @Test func dataInfoShowsLeadCoverage() async throws {
    let folder = Self.temporaryFolder("partial-leads-info")
    defer { try? FileManager.default.removeItem(at: folder) }
    let twelve = StandardLeads.names
    let path = try await Self.store(
      in: folder, leadSets: [Self.eightLeads, Self.eightLeads, Self.eightLeads, twelve, twelve])
    let store = try DatasetStore(path: path)
    let expected = "coverage   III aVR aVL aVF absent in 3 of 5 windows (zero-filled)"
    let info = try DataInfoCommand.describe(store, top: 5, verified: false)
    #expect(info.contains(expected), "\(info)")
    let json = try JSONSerialization.jsonObject(with: Data(DataInfoCommand.json(store).utf8)) as? [String: Any]
    let withLead = try #require(json?["windows_with_lead"] as? [String: Int])
    #expect(withLead["III"] == 2 && withLead["aVF"] == 2 && withLead["I"] == 5 && withLead.count == 12)

    // A store written before the manifest counted absent leads: the index is read instead.
    let manifestURL = store.url.appendingPathComponent("store.json")
    var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    var statistics = try #require(manifest["statistics"] as? [String: Any])
    #expect(statistics.removeValue(forKey: "absent_leads") != nil)
    manifest["statistics"] = statistics
    try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    let older = try DatasetStore(path: path)
    #expect(older.manifest.statistics.absentLeads == nil)
    #expect(try DataInfoCommand.describe(older, top: 5, verified: false).contains(expected))

    let synthetic = folder.appendingPathComponent("synth").path
    try DataSynthCommand.parse(["--count", "4", "--out", synthetic, "--quiet", "--threads", "1"]).run()
    #expect(
      try DataInfoCommand.describe(DatasetStore(path: synthetic), top: 5, verified: false).contains(
        "coverage   every lead in every window"))
  }

  /// The results carried `mse/t=0.5/III` and friends, scored on the store's zeros as if they were leads.
  @Test func reconstructionLeavesLeadsNoWindowHasOutOfItsResults() async throws {
    let folder = Self.temporaryFolder("partial-leads-eval")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try await Self.store(in: folder, leadSets: [[String]](repeating: Self.eightLeads, count: 5))
    let run = try EvalRun(network: EvalRun.dit, name: "partial-leads-run")
    defer { run.remove() }
    let out = folder.appendingPathComponent("eval")
    try EvalCommand.parse([
      "--task", "reconstruction", "--nn_ckpt", run.run.path, "--data", path, "--split", "reference-files",
      "--seeds", "0", "--figures", "0", "--out", out.path, "--device", "cpu", "--threads", "1",
    ]).run()
    let json = try String(
      contentsOf: out.appendingPathComponent("reconstruction_None_store_results.json"), encoding: .utf8)
    let results = try aggregates(json)
    #expect(results.count == 5 * 4 * 9, "global and the eight recorded leads")
    #expect(results["mse/t=0.5/III"] == nil && results["mse/t=0.5/aVF"] == nil && results["mse/t=0.5/V6"] != nil)
    let html = try String(
      contentsOf: out.appendingPathComponent("reconstruction_None_store_report.html"), encoding: .utf8)
    #expect(html.contains("III aVR aVL aVF (in no window) left out of the results and of global"))
  }

  /// Forecasting scores the flattened ECG-Byte window, so a store's zero-filled leads cannot be left out: said, for
  /// the windows evaluated (the note counted the whole store, where reconstruction and generation count those).
  @Test func forecastingSaysThatTheAbsentLeadsOfTheWindowsItEvaluatedCountInItsScores() async throws {
    let folder = Self.temporaryFolder("partial-leads-forecast")
    defer { try? FileManager.default.removeItem(at: folder) }
    let twelve = StandardLeads.names
    let partial = try await Self.store(
      in: folder, leadSets: [Self.eightLeads, twelve, Self.eightLeads, Self.eightLeads, twelve, Self.eightLeads])
    let store = try DatasetStore(path: partial)
    let evaluated = EvaluationWindows.referenceTestOrder(count: store.count, seed: 0).prefix(2)
    let lacking = try evaluated.filter { try store.metadata(at: $0).leadMask.contains(false) }.count
    let inStore = try #require(try store.absentLeadWindows()["III"])
    try #require(lacking > 0 && inStore > lacking, "a store-wide count would differ")
    let run = try EvalRun(network: EvalRun.decoder, name: "partial-leads-forecast-run")
    defer { run.remove() }
    let out = folder.appendingPathComponent("eval")
    try EvalCommand.parse([
      "--task", "forecasting", "--nn_ckpt", run.run.path, "--data", partial, "--split", "reference-files",
      "--seeds", "0", "--max_samples", "2", "--figures", "0", "--out", out.path, "--device", "cpu", "--threads", "1",
    ]).run()
    let page = try String(
      contentsOf: out.appendingPathComponent("forecasting_None_store_report.html"), encoding: .utf8)
    #expect(
      page.contains(
        "leads III aVR aVL aVF absent in \(lacking) of 2 windows (zero-filled in the store); forecasting scores the "
          + "whole flattened ECG-Byte window, so those zeros count in every score (as in the reference)"), "\(page)")
    #expect(!page.contains("of \(store.count) windows"))

    // A lead-conditioned decoder forecasts its one lead: only that lead's absence is said.
    var coverage = LeadCoverage(names: twelve)
    coverage.add(present: twelve.map { !["III", "aVF"].contains($0) })
    coverage.add(present: [Bool](repeating: true, count: 12))
    #expect(
      ForecastTaskRunner.absentLeadNote(coverage, forecastLeads: ["III"])?.hasPrefix(
        "leads III absent in 1 of 2 windows (zero-filled in the store)") == true)
    #expect(ForecastTaskRunner.absentLeadNote(coverage, forecastLeads: ["II"]) == nil)
  }

  /// Was "pick the label set of this store ([])".
  @Test func aStoreNoLabelSetFitsSaysSoAndWhatEachNeeds() async throws {
    let folder = Self.temporaryFolder("partial-leads-labels")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try await Self.store(in: folder, leadSets: [[String]](repeating: Self.eightLeads, count: 3))
    let run = ClassificationTaskTests.trained
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationTask.run(
        options: try ClassificationOptions.parse(["--labels", "synthetic", "--label_fraction", "1"]),
        checkpoint: run.run.path, ema: false, stores: [path], device: .cpu, seeds: [0], outputFolder: folder)
    }
    #expect(
      error?.message.hasSuffix(
        "holds wfdb records; no label set fits this store: ptbxl_super, ptbxl_sub, ptbxl_form and ptbxl_rhythm "
          + "need a store preprocessed from ptb_xl records (`ecg preprocess --source ptb_xl`); cpsc2018 needs a "
          + "store preprocessed from cpsc records (`ecg preprocess --source cpsc`); csn needs a store preprocessed "
          + "from csn records (`ecg preprocess --source csn`); synthetic needs a store written by `ecg data synth`")
        == true, "\(String(describing: error))")
    #expect(error?.message.hasPrefix("--labels synthetic needs a store written by `ecg data synth`, but ") == true)
  }
}
