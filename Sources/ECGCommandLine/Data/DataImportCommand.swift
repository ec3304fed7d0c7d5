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
      order unless --keep-lead-order.
      """)

  @Option(help: "The reference's data folder (DATA_DIR).")
  var referenceDir: String

  @Option(help: "Dataset name: ptb_xl, mimic_iv, code15, cpsc or csn.")
  var name: String

  @Option(help: "The store folder to create.")
  var out: String

  @Option(help: "Window length of the folder (preprocessed_<len>).")
  var segmentLen: Int = 2500

  @Flag(help: "Keep channels as stored (do not fix the aVR/aVL swap of mimic_iv and code15).")
  var keepLeadOrder = false

  @Option(
    help:
      "Split: patient (seeded patient-disjoint 70/10/20 where the files name the patient) or reference-files (the reference's 70/30)."
  )
  var split: SplitPolicy = .referenceFiles

  @Option(help: "Seed of the split.")
  var seed: Int = 0

  @Option(help: "Files processed in parallel (default: all cores).")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount

  @Flag(help: "Replace an existing store.")
  var overwrite = false

  @Flag(help: "No progress line.")
  var quiet = false

  func run() async throws {
    AllocatorTuning.keepFreedMemory()
    let printer = ProgressPrinter(quiet: quiet)
    let manifest = try await runReportingErrors {
      let source = try ReferenceFolderSource(
        dataDirectory: URL(fileURLWithPath: referenceDir), name: name, segmentLength: segmentLen,
        keepLeadOrder: keepLeadOrder)
      var options = PreprocessOptions()
      options.segmentLength = segmentLen
      // The windows keep the rate the reference stored them at.
      if let first = try source.records().first { options.targetRate = try source.load(first).samplingRate }
      options.workers = workers
      options.splitPolicy = split
      options.seed = seed
      options.recordsPerShard = 1024
      options.overwrite = overwrite
      return try await Preprocessor.run(
        source: source, output: URL(fileURLWithPath: out), options: options,
        createdBy: "ecg data import --name \(name)" + (keepLeadOrder ? " --keep-lead-order" : ""),
        onProgress: printer.progress)
    }
    print(printer.summary(manifest, store: out))
  }
}
