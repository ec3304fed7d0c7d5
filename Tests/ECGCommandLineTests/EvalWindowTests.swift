import ECGData
import ECGEvaluation
import Foundation
import Testing

@testable import ECGCommandLine

/// The windows `ecg eval` reads: cut to the run's `--segment_len` as pretraining cuts them, without NaN or
/// infinite samples, and with a note when a store's test split is the reference's leaky file split.
@Suite(.serialized) struct EvalWindowTests {
  /// `ecg eval`'s context for `run` on its own store (the settings of its config.yaml).
  static func context(_ run: EvalRun, split: EvaluationSplit = .test, _ flags: [String] = []) throws -> EvalContext {
    var settings = run.settings
    settings.data = [run.store]
    return EvalContext(
      settings: settings, checkpoint: run.run.path, options: try EvalOptions.parse(flags), split: split,
      device: .cpu, outputFolder: run.folder)
  }

  /// Writes `value` over sample `sample` of lead `lead` of the store's window `index` (a shard edited after
  /// writing, which `ecg data info --verify` would catch and `ecg eval` reads as it is).
  static func overwrite(_ store: DatasetStore, window index: Int, lead: Int, sample: Int, with value: Float) throws {
    var first = 0
    for shard in store.manifest.shards {
      defer { first += shard.windows }
      guard index < first + shard.windows else { continue }
      let handle = try FileHandle(forWritingTo: store.url.appendingPathComponent(shard.file))
      defer { try? handle.close() }
      let offset = ((index - first) * store.leadCount + lead) * store.segmentLength + sample
      try handle.seek(toOffset: UInt64(offset * 4))
      try handle.write(contentsOf: withUnsafeBytes(of: value) { Data($0) })
      return
    }
    preconditionFailure("window \(index) is not in the store")
  }

  /// The report page `ecg eval` wrote beside `task`'s results in `folder`.
  static func report(_ task: String, in folder: URL) throws -> String {
    try String(contentsOf: folder.appendingPathComponent("\(task)_None_store_report.html"), encoding: .utf8)
  }

  /// Forecasting tokenised the store's whole 2500-sample window for a run trained with --segment_len 250; the
  /// figures cut that series into 250-sample rows under the wrong lead names and the signal head was scored against
  /// lead I's first seconds.
  @Test func forecastingReadsTheRunsSegmentLengthCutAsPretrainingCutsIt() throws {
    let run = try EvalRun(network: EvalRun.decoder + ["--signal_head", "--signal_head_num_steps", "1"])
    defer { run.remove() }
    let store = try DatasetStore(path: run.store)
    let length = run.settings.segmentLen
    #expect(length == 250 && store.segmentLength == 2500)
    let context = try Self.context(run)
    let windows = try context.windows(seed: 0)
    let test = store.indices(in: .test)
    #expect(windows.order == Array(test.indices))
    let pretraining = try run.settings.makeLoader().source
    for index in windows.order {
      let window = try windows.source.window(at: index)
      let stored = store.window(at: test[index])
      #expect(window.length == length && window.leads == 12)
      let firstSamples: [Float] = (0..<12).flatMap { lead in Array(stored[(lead * 2500)..<(lead * 2500 + length)]) }
      #expect(window.values == firstSamples)
      #expect(window.values == (try pretraining.window(at: test[index])).values, "as pretraining read it")
      #expect(window.leadMask == (try store.metadata(at: test[index])).leadMask)
    }
    // The forecasting batch: 12 × 250 symbols, and the signal head's truth [1, 12, 250].
    guard case .symbolic(let representation) = try run.settings.makeLoader().task.representation else {
      Issue.record("a decoder run reads ECG-Byte tokens")
      return
    }
    let task = ForecastingTask(ratio: 0.5, specialTokens: representation.tokenizer.specialTokens)
    let batch = try task.evaluationBatch(
      for: [try windows.source.window(at: windows.order[0])], representation: representation)
    #expect(batch.input.tokens.signal?.shape == [1, 12, length])
    #expect(try #require(batch.input.originalLength.ints().first) <= 12 * length + 2, "at most a token per symbol")
    // A window that is not cut is refused, not scored.
    let whole = try StoreWindowSource(store).window(at: 0)
    let refused = #expect(throws: CommandError.self) { try context.requireNetworkLength([whole]) }
    #expect(refused?.description.contains("holds 2500 samples per lead, the network reads 250") == true)

    // End to end: the head's 12 × 250 samples are scored against the window's (a length mismatch now throws).
    let json = try run.evaluate("forecasting", ["--seeds", "0", "--max_samples", "1", "--figures", "1"])
    let mse = try #require(try aggregates(json)["mse"]?["mean"] as? Double)
    #expect(mse.isFinite)
  }

  /// Windows holding NaN (a reference folder read directly, a shard edited after writing) turned every
  /// reconstruction and generation metric into NaN without a word.
  @Test func windowsHoldingNaNOrInfinityAreSkippedWithANote() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    let store = try DatasetStore(path: run.store)
    let test = store.indices(in: .test)
    try #require(test.count >= 4)
    try Self.overwrite(store, window: test[0], lead: 1, sample: 50, with: .nan)
    try Self.overwrite(store, window: test[2], lead: 7, sample: 3, with: .infinity)
    let first = try store.metadata(at: test[0])
    let json = try run.evaluate("reconstruction", ["--seeds", "0", "1", "--figures", "0"])
    let results = try aggregates(json)
    let mse = try #require(results["mse/t=0.5/global"]?["values"] as? [Double])
    #expect(mse.count == 2 && mse.allSatisfy(\.isFinite), "\(json.prefix(300))")
    let note =
      "2 of \(test.count) windows read hold NaN or infinite samples and were skipped (the first: "
      + "\(first.recordID)#\(first.window)); the scores describe the other \(test.count - 2)"
    let page = try Self.report("reconstruction", in: run.run)
    #expect(page.contains(note), "once, as the test split is the same for both seeds")
    #expect(page.components(separatedBy: "NaN or infinite samples").count == 2)
    // --max_samples counts the windows scored: the skipped ones do not use it up.
    let context = try Self.context(run, ["--max_samples", "2"])
    #expect(try context.windows(seed: 0).order == [1, 3])

    // Nothing left to score: refused, naming the first window.
    for index in test { try Self.overwrite(store, window: index, lead: 0, sample: 0, with: .nan) }
    let message = EvalRun.message([
      "--task", "generation", "--nn_ckpt", run.run.path, "--device", "cpu", "--threads", "1", "--seeds", "0",
      "--sample_steps", "1", "--out", run.folder.appendingPathComponent("all-nan").path,
    ])
    #expect(
      message.hasPrefix(
        "every one of the \(test.count) windows of store to evaluate holds NaN or infinite samples (the first: "
          + "\(first.recordID)#\(first.window)), so nothing is left to score"), "\(message)")
  }

  /// The error for a reference folder sent users to `ecg data import`, whose default split is the reference's
  /// leaky file split, as leakage-free; and `--split test` on such a store said nothing.
  @Test func aStoreSplitByTheReferencesFilesIsNotCalledLeakageFree() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    let dataDirectory = run.folder.appendingPathComponent("reference")
    try FileManager.default.createDirectory(
      at: dataDirectory.appendingPathComponent("ptb_xl/preprocessed_250"), withIntermediateDirectories: true)
    let reference = EvalRun.message([
      "--task", "generation", "--nn_ckpt", run.run.path, "--data", "ptb_xl", "--data_dir", dataDirectory.path,
      "--device", "cpu", "--seeds", "0", "--out", dataDirectory.appendingPathComponent("out").path,
    ])
    #expect(
      reference.contains("import it into a store with `ecg data import --split patient` (leakage-free)"),
      "\(reference)")
    let note =
      "\(run.store) was written with --split reference-files: its test split is the reference's 70/30 file split, "
      + "not patient-disjoint (a patient's windows can be in both training and test); `ecg data import --split "
      + "patient` writes a leakage-free one"
    #expect(try !Self.context(run).windows(seed: 0).notes.contains(note), "a synthetic store is split by patient")

    // The split policy `ecg data import` writes by default.
    let manifestURL = URL(fileURLWithPath: run.store).appendingPathComponent("store.json")
    var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    manifest["split_policy"] = "reference-files"
    try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    #expect(try Self.context(run).windows(seed: 0).notes == [note])
    #expect(try Self.context(run, split: .referenceFiles).windows(seed: 0).notes.isEmpty, "said by --split itself")
    _ = try run.evaluate("generation", ["--seeds", "0", "--max_samples", "2", "--sample_steps", "1", "--figures", "0"])
    let page = try Self.report("generation", in: run.run)
    #expect(page.contains(note.replacingOccurrences(of: "'", with: "&#39;")))
  }
}
