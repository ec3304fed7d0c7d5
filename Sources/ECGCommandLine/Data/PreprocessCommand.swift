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
      finished shards are kept. The store appears under --out only when complete.
      """)

  @Option(help: "Dataset: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")).")
  var source: SourceKind

  @Option(help: "The raw dataset's folder.")
  var input: String

  @Option(help: "The store folder to create.")
  var out: String

  @Option(name: .customLong("target-fs"), help: "Output sampling rate, Hz.")
  var targetFs: Double = 250

  @Option(help: "Samples per lead per window.")
  var segmentLen: Int = 2500

  @Option(help: "Shards processed in parallel (default: the number of cores).")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Only the first N records.")
  var limit: Int?

  @Option(
    help:
      "Split: official (PTB-XL folds, else patient), patient (seeded patient-disjoint 70/10/20), reference-files (the reference's 70/30 file split)."
  )
  var split: SplitPolicy = .official

  @Option(help: "Seed of the split.")
  var seed: Int = 0

  @Option(help: "PTB-XL: CSV with ecg_id and an English report column, preferred over the German reports.")
  var englishReports: String?

  @Flag(
    name: .customLong("require-12-leads"),
    help: "wfdb: skip records without all 12 standard leads (default: keep them with a lead mask).")
  var require12Leads = false

  @Option(help: "Records per shard (the unit of resumption).")
  var recordsPerShard: Int = 128

  @Flag(help: "Replace an existing store, or restart an unfinished run made with other settings.")
  var overwrite = false

  @Flag(help: "No progress line.")
  var quiet = false

  func validate() throws {
    guard targetFs > 0 else { throw ValidationError("--target-fs must be positive") }
    guard segmentLen > 0 else { throw ValidationError("--segment-len must be positive") }
    guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
    if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
    guard recordsPerShard > 0 else { throw ValidationError("--records-per-shard must be positive") }
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
    options.workers = workers
    options.limit = limit
    options.splitPolicy = split
    options.seed = seed
    options.recordsPerShard = recordsPerShard
    options.overwrite = overwrite
    let printer = ProgressPrinter(quiet: quiet)
    let manifest = try await runReportingErrors {
      try await Preprocessor.run(
        source: makeSource(), output: URL(fileURLWithPath: out), options: options,
        createdBy: "ecg preprocess --source \(source.rawValue) --input \(input)",
        onProgress: printer.progress)
    }
    print(printer.summary(manifest, store: out))
  }
}

extension SourceKind: ExpressibleByArgument {}
extension SplitPolicy: ExpressibleByArgument {}

/// Runs `body`, turning the data layer's errors into messages without a stack of types.
func runReportingErrors<T>(_ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch let error as StoreError {
    throw CommandError(error.message)
  } catch let error as DataSourceError {
    throw CommandError(error.message)
  } catch let error as WFDBError {
    throw CommandError(error.message)
  }
}
