import ArgumentParser
import ECGData
import Foundation

/// `ecg data import`: the reference's `DATA_DIR/<name>/preprocessed_<len>/*.npy` → dataset store.
struct DataImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import one of the reference's preprocessed .npy folders into a dataset store.",
    discussion: """
      Reads DATA_DIR/<name>/preprocessed_<segment-len>/*.npy with a safe unpickler (no code runs). The \
      reference stores MIMIC-IV and CODE-15 with aVL before aVR; the import puts them back in the standard \
      order unless --keep-lead-order (which keeps their order and names it so in store.json and the index; \
      ecg pretrain and ecg eval refuse such a store). A file that cannot be read (truncated, hostile, wrong \
      shape) is skipped with its reason and counted: the summary counts files read and skipped (one window \
      each) and records stored. Only a dataset store is ever replaced, with --overwrite.
      """)

  @Option(help: "The reference's data folder (DATA_DIR).")
  var referenceDir: String

  @Option(help: "Dataset name: ptb_xl, mimic_iv, code15, cpsc or csn.")
  var name: String

  @Option(help: "The store folder to create (a new folder, or a store to replace with --overwrite).")
  var out: String

  @Option(
    parsing: .unconditional,
    help: "Window length of the folder (preprocessed_<len>), 1 to \(DataBounds.maximumSegmentLength).")
  var segmentLen: Int = 2500

  @Flag(
    help:
      "Keep channels as stored (do not fix the aVR/aVL swap of mimic_iv and code15); the store names them so."
  )
  var keepLeadOrder = false

  @Option(
    help:
      "Split: reference-files (the reference's 70/30), patient (seeded patient-disjoint 70/10/20 where the files name the patient) or official (the same as patient: the folders keep no official split)."
  )
  var split: SplitPolicy = .referenceFiles

  @OptionGroup var seed: SeedOption

  @OptionGroup(title: "Parallelism (files processed at once)")
  var threads: ThreadsOption

  @Flag(help: "Replace an existing store.")
  var overwrite = false

  @Flag(help: "No progress line.")
  var quiet = false

  func validate() throws {
    try DataBounds.checkSegmentLength(segmentLen)
  }

  func run() async throws {
    AllocatorTuning.keepFreedMemory()
    // Each file is one window; several files make a record: the files are what is read and skipped.
    let printer = ProgressPrinter(quiet: quiet, unit: "files")
    let manifest = try await runReportingErrors {
      let source = try ReferenceFolderSource(
        dataDirectory: URL(fileURLWithPath: referenceDir), name: name, segmentLength: segmentLen,
        keepLeadOrder: keepLeadOrder)
      var options = PreprocessOptions()
      options.segmentLength = segmentLen
      // The windows keep the rate the reference stored them at: that of the first readable file (a bad
      // file is skipped with its reason during the run, like any other bad record).
      if let rate = try source.records().lazy.compactMap({ try? source.load($0).samplingRate }).first {
        guard rate.isFinite, rate > 0 else {
          throw CommandError("the reference folder's windows have target_sf \(rate); expected a positive rate")
        }
        options.targetRate = rate
      }
      options.workers = threads.count
      options.splitPolicy = split
      options.seed = seed.seed
      options.recordsPerShard = 1024
      options.overwrite = overwrite
      return try await Preprocessor.run(
        source: source, output: URL(fileURLWithPath: out), options: options,
        createdBy: CommandLineText.current, inputs: [URL(fileURLWithPath: referenceDir)], onProgress: printer.progress)
    }
    print(printer.summary(manifest, store: out))
  }
}
