import ArgumentParser
import ECGData
import Foundation

/// `ecg bench data`: data-layer throughput as JSON (registered under `ecg bench` by the bench group).
public struct BenchDataCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Measure WFDB reading, preprocessing and dataset-store random access; prints JSON.")

  @Option(parsing: .unconditional, help: "Synthetic 10 s 12-lead 500 Hz records to preprocess.")
  var records: Int = 256

  @Option(parsing: .unconditional, help: "Repetitions of the WFDB read.")
  var reads: Int = 2000

  @Option(parsing: .unconditional, help: "Random window reads from the store.")
  var accesses: Int = 20000

  @OptionGroup(title: "Parallelism (shards preprocessed at once)")
  var threads: ThreadsOption

  public init() {}

  public func validate() throws {
    // Each synthetic record is a 10 s 12-lead file of 120 kB written to the temporary folder.
    guard (1...100_000).contains(records) else { throw ValidationError("--records must be between 1 and 100000") }
    guard reads >= 1, accesses >= 1 else { throw ValidationError("--reads and --accesses must be 1 or more") }
  }

  public func run() async throws {
    AllocatorTuning.keepFreedMemory()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-bench-data-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let raw = folder.appendingPathComponent("raw")
    for i in 0..<max(1, records) { try Self.writeRecord(name: String(format: "r%05d", i), folder: raw, seed: i) }

    // WFDB: read the same 10 s 12-lead record repeatedly (header parse, file read, decode, physical units).
    let path = raw.appendingPathComponent("r00000").path
    var best = Double.infinity
    var total = 0.0
    var checksum = 0.0
    for _ in 0..<max(1, reads) {
      let start = DispatchTime.now().uptimeNanoseconds
      let record = try WFDBRecord(contentsOf: path)
      let physical = (0..<record.header.signals.count).map { record.physical($0) }
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
      checksum += physical[0][0]
      best = min(best, elapsed)
      total += elapsed
    }

    // Preprocess: the synthetic folder as a generic WFDB source into a store.
    var options = PreprocessOptions()
    let workers = threads.count
    options.workers = workers
    options.recordsPerShard = 16
    let storeURL = folder.appendingPathComponent("store")
    let start = Date()
    let cpuStart = Self.processCPUSeconds()
    let manifest = try await Preprocessor.run(
      source: ChallengeSource(root: raw, kind: .wfdb), output: storeURL, options: options, createdBy: "ecg bench data")
    let preprocessSeconds = Date().timeIntervalSince(start)
    let preprocessCPUSeconds = Self.processCPUSeconds() - cpuStart

    // Store: random windows, copied out and read in place.
    let store = try DatasetStore(url: storeURL)
    var generator = SplitMix64(seed: 1)
    let picks = (0..<max(1, accesses)).map { _ in Int(generator.next() % UInt64(store.count)) }
    var sum: Float = 0
    let copyStart = Date()
    for i in picks { sum += store.window(at: i)[7] }
    let copySeconds = Date().timeIntervalSince(copyStart)
    let viewStart = Date()
    for i in picks { sum += store.withWindow(at: i) { $0[0] + $0[$0.count - 1] } }
    let viewSeconds = Date().timeIntervalSince(viewStart)
    let metadataPicks = picks.prefix(2000)
    let metadataStart = Date()
    for i in metadataPicks { sum += Float(try store.metadata(at: i).report.count) }
    let metadataSeconds = Date().timeIntervalSince(metadataStart)

    let result: [String: Any] = [
      "wfdb_read_us_per_record_min": (best * 10).rounded() / 10,
      "wfdb_read_us_per_record_mean": (total / Double(max(1, reads)) * 10).rounded() / 10,
      "wfdb_record": "10 s, 12 leads, 500 Hz, format 16",
      "preprocess_records_per_s": (Double(records) / preprocessSeconds).rounded(),
      "preprocess_records_per_cpu_s": (Double(records) / preprocessCPUSeconds).rounded(),
      "preprocess_records": records,
      "preprocess_windows": manifest.windowCount,
      "preprocess_workers": workers,
      "store_random_windows_per_s_copy": (Double(picks.count) / copySeconds).rounded(),
      "store_random_windows_per_s_view": (Double(picks.count) / viewSeconds).rounded(),
      "store_window_shape": [store.leadCount, store.segmentLength],
      "store_random_metadata_per_s": (Double(metadataPicks.count) / metadataSeconds).rounded(),
      "checksum": Double(sum) + checksum,
    ]
    try printJSON(result)
  }

  /// CPU seconds used by the process so far (all threads): a figure that busy shared machines do not distort.
  static func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }

  static func writeRecord(name: String, folder: URL, seed: Int) throws {
    let signals = StandardLeads.names.enumerated().map { c, lead in
      WFDBWriter.Signal(
        name: lead, gain: 1000,
        physical: (0..<5000).map { t in 0.8 * sin(Double(t) * 0.01 * Double(1 + (c + seed) % 7)) + 0.001 * Double(seed)
        })
    }
    try WFDBWriter.write(
      name: name, folder: folder, samplingFrequency: 500, signals: signals, comments: ["Dx: 426783006"])
  }
}
