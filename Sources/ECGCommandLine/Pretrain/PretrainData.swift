import ECGCore
import ECGData
import ECGTokenizer
import ECGTraining
import Foundation

extension PretrainSettings {
  /// The training loader: every `--data` source (stores, reference folders), mixed, through the pretraining
  /// task of the network.
  func makeLoader(rank: Int = 0, worldSize: Int = 1) throws -> BatchLoader {
    let sources: [any ECGWindowSource] = try data.map { entry in
      if FileManager.default.fileExists(atPath: entry + "/store.json") {
        let store = try DatasetStore(path: entry)
        // Lead masks, --condition lead and mixed stores all take a lead's position for its standard name.
        try store.requireStandardLeadOrder(for: "ecg pretrain")
        // A shorter --segment_len trains on the first segment_len samples of every window.
        guard segmentLen <= store.segmentLength else {
          throw CommandError(
            "the store \(entry) holds windows of \(store.segmentLength) samples; "
              + "pass --segment_len \(store.segmentLength) or less"
          )
        }
        return networkWindows(
          excludeTestSplit == true ? StoreWindowSource(store, excluding: .test) : StoreWindowSource(store))
      }
      return try ReferenceFolderWindowSource(
        dataDirectory: URL(fileURLWithPath: dataDir ?? "."), name: entry, segmentLength: segmentLen)
    }
    let mixture = try DatasetMixture(
      sources, probabilities: dataSamplingProbs, subset: dataSubset < 1 ? dataSubset : nil, seed: seed)
    let task = PretrainTask(
      network: neuralNetwork, objective: objectiveKind, representation: try representation(),
      textTokenizer: try textTokenizer(), textLength: conditionTextMaxLen, maePatches: numPatches)
    return BatchLoader(
      source: mixture, task: task, augmentation: augment ? Augmentation() : nil, batchSize: batchSize,
      worldSize: worldSize, rank: rank, workers: numWorkers, seed: seed)
  }

  /// A store's windows as the network reads them, `segmentLen` samples per lead: pretraining and `ecg eval` both
  /// build their store sources here, so they cannot cut windows differently. The signal representation cuts (and
  /// normalises) the stored window itself; the symbolic one tokenises whatever it gets, so its windows are cut to
  /// their first `segmentLen` samples here.
  func networkWindows(_ source: StoreWindowSource) -> any ECGWindowSource {
    guard dataRepresentation == "bpe_symbolic", segmentLen < source.store.segmentLength else { return source }
    return PrefixWindowSource(base: source, length: segmentLen)
  }

  /// One line per `--data` entry saying what it holds (a store's window count and index checksum, a reference
  /// folder's name): a resume compares it with the run's, so moved stores pass and other data does not.
  func dataIdentity() throws -> [String] {
    try data.map { entry in
      let store = URL(fileURLWithPath: entry)
      guard FileManager.default.fileExists(atPath: store.appendingPathComponent("store.json").path) else {
        return "reference dataset \(entry)"
      }
      let manifest = try StoreManifest(store: store)
      return "a store of \(manifest.windowCount) windows (index \(manifest.indexXXH64))"
    }
  }

  /// The objective as the data pipeline names it (MLAE, MTAE and ST-MEM items depend on the network only).
  var objectiveKind: ObjectiveKind { ObjectiveKind(rawValue: objective) ?? .mae }

  private func representation() throws -> PretrainTask.Representation {
    let lead = condition == "lead" ? conditionLead : nil
    if dataRepresentation == "bpe_symbolic" {
      let tokenizer = try ECGByteTokenizer(contentsOf: bpeTokenizerPath)
      return .symbolic(
        SymbolicRepresentation(
          tokenizer: tokenizer, length: bpeSymbolicLen, conditionLead: lead, signalHead: signalHead))
    }
    return .signal(
      SignalRepresentation(
        normalization: SignalNormalization(rawValue: ecgNorm)!, eps: normEps, segmentLength: segmentLen,
        conditionLead: lead))
  }

  /// Reports tokenised with the `--text_feature_extractor` folder's WordPiece tokenizer (text conditioning, MERL).
  private func textTokenizer() throws -> (any TextTokenizing)? {
    try textModelFolder()?.loadTokenizer()
  }
}
