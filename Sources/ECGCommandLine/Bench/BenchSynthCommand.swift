import ArgumentParser
import ECGData
import Foundation

/// `ecg bench synth`: synthetic-ECG generation throughput on one thread and on all threads.
struct BenchSynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Time generating synthetic 12-lead ECGs (10 s at 250 Hz) on one thread and on all threads."
  )

  @Option(parsing: .unconditional, help: "Records per timed run.")
  var count = 1000

  @OptionGroup var seed: SeedOption

  @OptionGroup(title: "Parallelism (threads of the parallel run)")
  var threads: ThreadsOption

  @Option(parsing: .unconditional, help: "Timed repetitions per setting, 1 or more (the median is reported).")
  var repeats = 3

  func validate() throws {
    if count < 1 { throw ValidationError("--count must be 1 or more") }
    if repeats < 1 { throw ValidationError("--repeats must be 1 or more") }
  }

  func run() throws {
    let generator = SyntheticECGGenerator(seed: UInt64(seed.seed))
    let workers = threads.count
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
