import ArgumentParser
import ECGData
import ECGTokenizer
import Foundation

/// `ecg bench loader`: end-to-end batches/s of the training loader (store → representation → task → tensors)
/// for the `signal` and `bpe_symbolic` representations with 0, 1 and 2 workers, and optionally from a
/// reference `.npy` folder (one pickled file per sample, as the reference reads them).
struct BenchLoaderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "loader",
    abstract:
      "Measure the training loader's batches/s for signal and bpe_symbolic with 0, 1 and 2 workers; prints JSON.")

  @Option(help: "Dataset store to read (default: a temporary store of synthetic windows).")
  var store: String?

  @Option(parsing: .unconditional, help: "Synthetic windows in the temporary store.")
  var windows = 512

  @Option(parsing: .unconditional, help: "Samples per batch.")
  var batchSize = 32

  @Option(parsing: .unconditional, help: "Batches timed per configuration.")
  var batches = 12

  @Option(
    help:
      "ECG-Byte tokenizer for bpe_symbolic (JSON or the reference's .pkl), e.g. ../shared/data/tokenizers/ecg_byte_tokenizer_10000.pkl; without it bpe_symbolic is skipped, with a note."
  )
  var tokenizer: String?

  @Option(help: "Also time a reference data folder (DATA_DIR with <name>/preprocessed_<len>/*.npy).")
  var referenceDir: String?

  @Option(help: "Dataset name inside --reference-dir.")
  var referenceName = "ptb_xl"

  @Option(parsing: .upToNextOption, help: "Worker counts to time.")
  var workers: [Int] = [0, 1, 2]

  func validate() throws {
    guard batchSize > 0, batches > 0, windows > 0 else {
      throw ValidationError("--batch-size, --batches and --windows must be positive")
    }
    guard workers.allSatisfy({ (0...256).contains($0) }) else {
      throw ValidationError("--workers counts must be between 0 and 256")
    }
  }

  func run() throws {
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ecg-bench-loader-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: temporary) }
    let storeURL = store.map { URL(fileURLWithPath: $0) } ?? temporary.appendingPathComponent("store")
    if store == nil {
      try SyntheticDataset.write(count: windows, seed: 7, to: storeURL, createdBy: "ecg bench loader")
    }
    let source = StoreWindowSource(try DatasetStore(url: storeURL))
    let length = source.store.segmentLength
    var representations: [(String, PretrainTask)] = [
      (
        "signal",
        PretrainTask(
          network: .nepa, objective: .autoregressive,
          representation: .signal(SignalRepresentation(segmentLength: length)))
      )
    ]
    var skipped: String?
    if let tokenizer {
      let byteTokenizer = try ECGByteTokenizer(contentsOf: tokenizer)
      representations.append(
        (
          "bpe_symbolic",
          PretrainTask(
            network: .decoder, objective: .autoregressive,
            representation: .symbolic(SymbolicRepresentation(tokenizer: byteTokenizer)))
        ))
    } else {
      skipped = "bpe_symbolic skipped: no --tokenizer given"
      printError(skipped!)
    }
    var results: [String: Any] = [
      "store": storeURL.path, "windows": source.count, "segment_length": length, "batch_size": batchSize,
      "batches": batches,
    ]
    if let skipped { results["note"] = skipped }
    for (name, task) in representations {
      results[name] = try workers.reduce(into: [String: Any]()) { figures, count in
        figures["workers_\(count)"] = try time(source, task: task, workers: count)
      }
    }
    if let referenceDir {
      let reference = try ReferenceFolderWindowSource(
        dataDirectory: URL(fileURLWithPath: referenceDir), name: referenceName, segmentLength: length)
      results["signal_from_reference_npy"] = try workers.reduce(into: [String: Any]()) { figures, count in
        figures["workers_\(count)"] = try time(reference, task: representations[0].1, workers: count)
      }
    }
    try printJSON(results)
  }

  private func time(_ source: any ECGWindowSource, task: PretrainTask, workers: Int) throws -> [String: Double] {
    let loader = BatchLoader(
      source: try DatasetMixture([source]), task: task, batchSize: batchSize, workers: workers, seed: 0)
    var seen = 0
    var samples = 0
    var epoch = 0
    let cpuStart = Stopwatch.processCPUSeconds()
    let seconds = Stopwatch.seconds {
      while seen < batches {
        for batch in loader.batches(epoch: epoch).prefix(batches - seen) {
          seen += 1
          samples += batch.size
        }
        epoch += 1
      }
    }
    // CPU seconds of the whole process (every worker): on a shared machine the wall clock also counts the time
    // other jobs held the cores, CPU time does not.
    let cpuSeconds = Stopwatch.processCPUSeconds() - cpuStart
    return [
      "batches_per_s": Double(seen) / seconds, "samples_per_s": Double(samples) / seconds,
      "samples_per_cpu_s": Double(samples) / cpuSeconds,
    ]
  }
}
