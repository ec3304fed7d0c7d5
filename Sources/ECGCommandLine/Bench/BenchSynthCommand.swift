import ArgumentParser
import ECGData
import Foundation

/// `ecg bench synth`: synthetic-ECG generation throughput on one thread and on all threads.
struct BenchSynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Time generating synthetic 12-lead ECGs (10 s at 250 Hz) on one thread and on all threads."
  )

  @Option(help: "Records per timed run.")
  var count = 1000

  @Option(help: "Dataset seed.")
  var seed: UInt64 = 0

  @Option(help: "Worker threads for the parallel run (default: all active processors).")
  var threads: Int?

  @Option(help: "Timed repetitions per setting (the median is reported).")
  var repeats = 3

  func validate() throws {
    guard count > 0, repeats > 0 else { throw ValidationError("--count and --repeats must be positive") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() throws {
    let generator = SyntheticECGGenerator(seed: seed)
    let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
    let single = Stopwatch.median(warmup: 1, repeats: repeats) { _ = generator.records(0..<count, threads: 1) }
    let parallel = Stopwatch.median(warmup: 1, repeats: repeats) { _ = generator.records(0..<count, threads: workers) }
    try printJSON([
      "records": count,
      "samples_per_record": generator.sampleCount * 12,
      "sampling_rate": generator.samplingRate,
      "single_thread": ["seconds": single, "records_per_s": Double(count) / single],
      "all_threads": ["threads": workers, "seconds": parallel, "records_per_s": Double(count) / parallel],
    ])
  }
}
