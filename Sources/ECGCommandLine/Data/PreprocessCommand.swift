import ArgumentParser
import ECGData
import Foundation

/// `ecg preprocess`: raw dataset → dataset store.
struct PreprocessCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preprocess",
    abstract: "Read a raw ECG dataset, resample, cut windows and write a dataset store.",
    discussion: """
      Sources: ptb_xl (ptbxl_database.csv, scp_statements.csv, records500/), mimic_iv (record_list.csv, \
      machine_measurements.csv, files/), code15 (exams.csv, exams_part*.hdf5; needs libhdf5), cpsc and csn \
      (Challenge .hea/.mat folders), wfdb (any folder of WFDB records). Re-running the same command resumes: \
      finished shards are checked and kept. The store appears under --out only when complete, and only a \
      dataset store (a folder with store.json) is ever replaced, with --overwrite. A bad record is skipped \
      with its reason; a run that stores no window fails.
      """)

  @Option(help: "Dataset: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")).")
  var source: SourceKind

  @Option(help: "The raw dataset's folder.")
  var input: String

  @Option(help: "The store folder to create (a new folder, or a store to replace with --overwrite).")
  var out: String

  @Option(
    name: .customLong("target-fs"), parsing: .unconditional, help: "Output sampling rate, Hz (finite, at most 100000).")
  var targetFs: Double = 250

  @Option(parsing: .unconditional, help: "Samples per lead per window (1 to \(DataBounds.maximumSegmentLength)).")
  var segmentLen: Int = 2500

  @OptionGroup(title: "Parallelism (shards processed at once)")
  var threads: ThreadsOption

  @Option(parsing: .unconditional, help: "Only the first N records.")
  var limit: Int?

  @Option(
    help:
      "Split: official (PTB-XL folds, else patient), patient (seeded patient-disjoint 70/10/20), reference-files (the reference's 70/30 file split)."
  )
  var split: SplitPolicy = .official

  @OptionGroup var seed: SeedOption

  @Option(help: "PTB-XL: CSV with ecg_id and an English report column, preferred over the German reports.")
  var englishReports: String?

  @Flag(
    name: .customLong("require-12-leads"),
    help: "wfdb: skip records without all 12 standard leads (default: keep them with a lead mask).")
  var require12Leads = false

  @Option(
    parsing: .unconditional,
    help: "Records per shard, the unit of resumption (1 to \(DataBounds.maximumRecordsPerShard)).")
  var recordsPerShard: Int = 128

  @Flag(help: "Replace an existing store, or restart an unfinished run made with other settings.")
  var overwrite = false

  @Flag(help: "No progress line.")
  var quiet = false

  func validate() throws {
    try DataBounds.checkRate(targetFs, flag: "--target-fs")
    try DataBounds.checkSegmentLength(segmentLen)
    if let limit, limit <= 0 { throw ValidationError("--limit must be 1 or more") }
    try DataBounds.checkRecordsPerShard(recordsPerShard)
  }

  func makeSource() -> any RecordSource {
    let root = URL(fileURLWithPath: input)
    switch source {
    case .ptbXL: return PTBXLSource(root: root, englishReports: englishReports.map { URL(fileURLWithPath: $0) })
    case .mimicIV: return MIMICIVSource(root: root)
    case .code15: return Code15Source(root: root)
    case .cpsc, .csn, .wfdb: return ChallengeSource(root: root, kind: source, requireAllLeads: require12Leads)
    }
  }

  func run() async throws {
    AllocatorTuning.keepFreedMemory()
    var options = PreprocessOptions()
    options.targetRate = targetFs
    options.segmentLength = segmentLen
    options.workers = threads.count
    options.limit = limit
    options.splitPolicy = split
    options.seed = seed.seed
    options.recordsPerShard = recordsPerShard
    options.overwrite = overwrite
    let printer = ProgressPrinter(quiet: quiet)
    let manifest = try await runReportingErrors {
      try await Preprocessor.run(
        source: makeSource(), output: URL(fileURLWithPath: out), options: options, createdBy: CommandLineText.current,
        inputs: [URL(fileURLWithPath: input)], onProgress: printer.progress)
    }
    print(printer.summary(manifest, store: out))
  }
}

extension SourceKind: ExpressibleByArgument {}
extension SplitPolicy: ExpressibleByArgument {}

/// Runs `body`, turning the data layer's errors into `CommandError` sentences (see `ErrorOutput`).
func runReportingErrors<T>(_ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch {
    throw ErrorOutput.translated(error)
  }
}

/// `runReportingErrors` for synchronous work.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch {
    throw ErrorOutput.translated(error)
  }
}
