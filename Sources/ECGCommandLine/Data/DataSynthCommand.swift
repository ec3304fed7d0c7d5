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
      Record i depends only on (seed, i). Splits: seeded 70/10/20 per record. A store takes about 120 kB \
      per record; the free space is checked first. Re-running the same command resumes an interrupted run.
      """)

  @Option(parsing: .unconditional, help: "Number of records (1 to \(DataBounds.maximumCount)).")
  var count: Int

  @Option(help: "The store folder to create (a new folder, or a store to replace with --overwrite).")
  var out: String

  @OptionGroup var seed: SeedOption

  @Option(parsing: .unconditional, help: "Records per shard (1 to \(DataBounds.maximumRecordsPerShard)).")
  var recordsPerShard = 1024

  @OptionGroup var threads: ThreadsOption

  @Option(help: "Also draw records as 12-lead SVGs (ECG paper, report as title) into this folder.")
  var plotDir: String?

  @Option(
    parsing: .upToNextOption, help: "Record indices to draw with --plot-dir, e.g. 0,1,2 or 0 1 2 (default: 0,1,2).")
  var plotRecords: [String] = []

  @Flag(help: "Replace an existing store (and existing SVGs in --plot-dir).")
  var overwrite = false

  @Flag(help: "No progress line.")
  var quiet = false

  func validate() throws {
    guard (1...DataBounds.maximumCount).contains(count) else {
      throw ValidationError("--count must be between 1 and \(DataBounds.maximumCount)")
    }
    try DataBounds.checkRecordsPerShard(recordsPerShard)
    guard plotIndices != nil else {
      throw ValidationError("--plot-records must list record indices below --count, e.g. 0,1,2")
    }
  }

  /// The records to draw: those of --plot-records (nil when one is not below --count), else the first three.
  private var plotIndices: [Int]? {
    guard !plotRecords.isEmpty else { return [0, 1, 2].filter { $0 < count } }
    let indices = ListOption.items(plotRecords).map { Int($0) }
    guard indices.allSatisfy({ $0 != nil && (0..<count).contains($0!) }) else { return nil }
    return indices.map { $0! }
  }

  func run() throws {
    let generator = SyntheticECGGenerator(seed: UInt64(seed.seed))
    let plotFiles = (plotIndices ?? []).map { "\(generator.record(at: $0).recordID).svg" }
    if let plotDir { try OutputFile.checkFiles(plotFiles, in: plotDir, overwrite: overwrite, flag: "--plot-dir") }
    let start = Date()
    let line = ProgressLine(unit: "records", quiet: quiet)
    let manifest = try reportingErrors {
      try SyntheticDataset.write(
        count: count, seed: UInt64(seed.seed), to: URL(fileURLWithPath: out), recordsPerShard: recordsPerShard,
        threads: threads.requested, overwrite: overwrite, createdBy: CommandLineText.current
      ) { done, resumed in
        line.update(done: done, total: count, resumed: resumed)
      }
    }
    line.finish()
    let splits = manifest.statistics.windows[SyntheticDataset.sourceName] ?? [:]
    var lines = [
      "store \(out)",
      "records   \(manifest.windowCount) (seed \(seed.seed)) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s",
      "splits    " + Split.allCases.map { "\($0.rawValue) \(splits[$0.rawValue] ?? 0)" }.joined(separator: ", "),
      "labels    "
        + SyntheticFindings.labelSet.map { "\($0) \(manifest.statistics.labels[$0] ?? 0)" }.joined(separator: ", "),
    ]
    lines.append("example   \(generator.record(at: 0).report)")
    if let plotDir {
      let folder = URL(fileURLWithPath: plotDir)
      try reportingErrors { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
      for index in plotIndices ?? [] {
        let ecg = generator.record(at: index)
        let svg = ECGPlotSVG().render(
          signal: ecg.signal, leadNames: ecg.leadNames, samplingRate: ecg.samplingRate,
          title: "\(ecg.recordID): \(ecg.report)")
        let file = folder.appendingPathComponent("\(ecg.recordID).svg")
        try OutputFile.write(Data(svg.utf8), to: file.path)
        lines.append("plot      \(file.path)")
      }
    }
    print(lines.joined(separator: "\n"))
  }
}
