import ArgumentParser
import ECGData
import Foundation

/// `ecg data synth`: a dataset store of synthetic 12-lead ECGs with machine-style reports and labels.
struct DataSynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Write a dataset store of synthetic 12-lead ECGs (10 s at 250 Hz) with reports and labels.",
    discussion: """
      ECGSYN (McSharry et al. 2003) extended to a 3-D heart dipole and projected to the 12 leads, with \
      varied rate, variability, axis, amplitudes, widths, noise and baseline wander (see docs/synthetic.md). \
      Record i depends only on (seed, i). Splits: seeded 70/10/20 per record.
      """)

  @Option(help: "Number of records.")
  var count: Int

  @Option(help: "The store folder to create.")
  var out: String

  @Option(help: "Seed of the records and of the split.")
  var seed: UInt64 = 0

  @Option(help: "Records per shard.")
  var recordsPerShard = 1024

  @Option(help: "Worker threads (default: all active processors).")
  var threads: Int?

  @Option(help: "Also draw records as 12-lead SVGs (ECG paper, report as title) into this folder.")
  var plotDir: String?

  @Option(help: "Comma-separated record indices to draw with --plot-dir.")
  var plotRecords = "0,1,2"

  @Flag(help: "Replace an existing store.")
  var overwrite = false

  @Flag(help: "No progress line.")
  var quiet = false

  func validate() throws {
    guard count > 0 else { throw ValidationError("--count must be positive") }
    guard recordsPerShard > 0 else { throw ValidationError("--records-per-shard must be positive") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    guard plotIndices != nil else {
      throw ValidationError("--plot-records must list record indices below --count, e.g. 0,1,2")
    }
  }

  private var plotIndices: [Int]? {
    let indices = plotRecords.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard indices.allSatisfy({ $0 != nil && (0..<count).contains($0!) }) else { return nil }
    return indices.map { $0! }
  }

  func run() throws {
    let start = Date()
    let manifest: StoreManifest
    do {
      manifest = try SyntheticDataset.write(
        count: count, seed: seed, to: URL(fileURLWithPath: out), recordsPerShard: recordsPerShard, threads: threads,
        overwrite: overwrite, createdBy: "ecg data synth --count \(count) --seed \(seed)"
      ) { done in
        if !quiet { FileHandle.standardError.write(Data("\rsynthesised \(done)/\(count)".utf8)) }
      }
    } catch let error as StoreError {
      throw CommandError(error.message)
    }
    if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    let splits = manifest.statistics.windows[SyntheticDataset.sourceName] ?? [:]
    var lines = [
      "store \(out)",
      "records   \(manifest.windowCount) (seed \(seed)) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s",
      "splits    " + Split.allCases.map { "\($0.rawValue) \(splits[$0.rawValue] ?? 0)" }.joined(separator: ", "),
      "labels    "
        + SyntheticFindings.labelSet.map { "\($0) \(manifest.statistics.labels[$0] ?? 0)" }.joined(separator: ", "),
    ]
    let generator = SyntheticECGGenerator(seed: seed)
    lines.append("example   \(generator.record(at: 0).report)")
    if let plotDir {
      let folder = URL(fileURLWithPath: plotDir)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for index in plotIndices ?? [] {
        let ecg = generator.record(at: index)
        let svg = ECGPlotSVG().render(
          signal: ecg.signal, leadNames: ecg.leadNames, samplingRate: ecg.samplingRate,
          title: "\(ecg.recordID): \(ecg.report)")
        let file = folder.appendingPathComponent("\(ecg.recordID).svg")
        try svg.write(to: file, atomically: true, encoding: .utf8)
        lines.append("plot      \(file.path)")
      }
    }
    print(lines.joined(separator: "\n"))
  }
}
