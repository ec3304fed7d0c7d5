import Foundation
import Torch

/// What loading a checkpoint into a network did.
public struct CheckpointLoadReport: Sendable, CustomStringConvertible {
  /// `model_state_dict` or `ema_state_dict` (over `model_state_dict`'s buffers and frozen entries).
  public var source: String
  /// Whether every key had to match (the decoder and its signal head).
  public var strict: Bool
  /// Keys the network has but the checkpoint lacks (they keep their constructed values), keys the checkpoint
  /// has but the network lacks, and mis-shaped keys (not loaded).
  public var keys: LoadReport
  /// The wrapper's checkpoint had no `signal_head.*` keys: the head keeps its random initialisation.
  public var signalHeadKeptRandomInit = false
  /// The decoder's vocabulary grew from the checkpoint's to the representation's (new rows random).
  public var vocabularyResized: (from: Int, to: Int)?

  public var description: String {
    var lines = ["loaded \(source) (\(strict ? "strict" : "non-strict")): \(keys)"]
    if signalHeadKeptRandomInit { lines.append("no signal head weights in the checkpoint: random initialisation kept") }
    if let resize = vocabularyResized { lines.append("vocabulary resized from \(resize.from) to \(resize.to) tokens") }
    return lines.joined(separator: "\n")
  }
}

/// The `--nn_ckpt` rules of the reference (models.md §2.1), with its bugs fixed.
///
/// 1. Read `model_state_dict`, or with `--ema` the `ema_state_dict` when present. The EMA holds trainable
///    parameters only, so its entries are laid over `model_state_dict`: buffers (DDPM schedules, BatchNorm
///    statistics) and frozen tables come from the model, not from the fresh construction.
/// 2. `_orig_mod.` prefixes (a `torch.compile`d run) are stripped.
/// 3. The discrete decoder loads strictly, then grows its vocabulary to the representation's; the signal-head
///    wrapper splits `decoder.*` / `signal_head.*` and loads each strictly (the head keeps its random init
///    when the checkpoint has none). Every other network loads non-strictly; the report names what was
///    missing, unexpected or mis-shaped (`refuseShapeMismatches` makes the last an error, as PyTorch does).
public enum CheckpointLoading {
  /// Reads the state dict to load from a reference `.pt` checkpoint, a `.safetensors` file, or a checkpoint
  /// folder (`model.safetensors`, `ema.safetensors`).
  public static func readStateDict(at url: URL, ema: Bool) throws -> (state: StateDict, source: String) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw ModelConfigurationError("no checkpoint at \(url.path): check --nn_ckpt")
    }
    let model: StateDict
    var averaged: StateDict?
    if isDirectory.boolValue {
      model = try StateDict(safetensorsAt: url.appendingPathComponent("model.safetensors"))
      let emaURL = url.appendingPathComponent("ema.safetensors")
      if ema && FileManager.default.fileExists(atPath: emaURL.path) { averaged = try StateDict(safetensorsAt: emaURL) }
    } else if url.pathExtension == "safetensors" {
      model = try StateDict(safetensorsAt: url)
    } else {
      do {
        model = try StateDict(torchCheckpointAt: url, entry: "model_state_dict")
      } catch {
        // `torch.save(model.state_dict(), path)`, the most common PyTorch checkpoint: the state dict at the top.
        guard let bare = try? StateDict(torchCheckpointAt: url, entry: nil) else { throw error }
        model = bare
      }
      // A checkpoint without EMA: the reference falls back to model_state_dict.
      if ema { averaged = try? StateDict(torchCheckpointAt: url, entry: "ema_state_dict") }
    }
    guard let averaged else { return (strippingCompilePrefix(model), "model_state_dict") }
    var merged = strippingCompilePrefix(model)
    for (name, tensor) in strippingCompilePrefix(averaged) { merged[name] = tensor }
    return (merged, "ema_state_dict")
  }

  /// Removes the `_orig_mod.` prefix `torch.compile` puts on every key.
  public static func strippingCompilePrefix(_ state: StateDict) -> StateDict {
    let prefix = "_orig_mod."
    guard state.names.contains(where: { $0.hasPrefix(prefix) }) else { return state }
    return StateDict(
      state.map { ($0.name.hasPrefix(prefix) ? String($0.name.dropFirst(prefix.count)) : $0.name, $0.tensor) })
  }

  /// The vocabulary a decoder checkpoint was trained with: the rows of `token_emb.weight`, or of
  /// `decoder.token_emb.weight` in a signal-head wrapper's checkpoint (where the reference raises KeyError).
  public static func decoderVocabularySize(_ state: StateDict) -> Int? {
    (state["token_emb.weight"] ?? state["decoder.token_emb.weight"])?.size(0)
  }

  /// Loads `state` into `network` by the rules above. `representationVocabSize` is the data representation's
  /// vocabulary; a decoder with fewer rows grows to it after loading.
  /// - Throws: `StateDictMismatch` (plain decoder) or `ModelConfigurationError` (wrapper), naming the missing,
  ///   unexpected and mis-shaped keys, when a strict load does not fit.
  @discardableResult
  public static func load(
    _ state: StateDict, into network: Module, source: String = "model_state_dict", representationVocabSize: Int? = nil
  ) throws -> CheckpointLoadReport {
    let state = strippingCompilePrefix(state)
    switch network {
    case let decoder as DecoderTransformer:
      if state.names.contains(where: { $0.hasPrefix("decoder.") }) && !state.names.contains("token_emb.weight") {
        throw ModelConfigurationError(
          "the checkpoint holds the decoder with its signal head (decoder.*, signal_head.* keys), the network is "
            + "the plain decoder: pass --signal_head to load it whole")
      }
      var report = CheckpointLoadReport(source: source, strict: true, keys: try decoder.load(stateDict: state))
      report.vocabularyResized = try grow(decoder, to: representationVocabSize)
      return report
    case let wrapper as DecoderWithSignalHead:
      var decoderState = StateDict()
      var headState = StateDict()
      for (name, tensor) in state {
        if name.hasPrefix("signal_head.") {
          headState[String(name.dropFirst("signal_head.".count))] = tensor
        } else {
          decoderState[name.hasPrefix("decoder.") ? String(name.dropFirst("decoder.".count)) : name] = tensor
        }
      }
      let keys = try strictLoad(decoderState, into: wrapper.decoder, prefix: "decoder.")
      var report = CheckpointLoadReport(source: source, strict: true, keys: keys)
      if headState.count > 0 {
        try strictLoad(headState, into: wrapper.signalHead, prefix: "signal_head.")
      } else {
        report.signalHeadKeptRandomInit = true
      }
      report.vocabularyResized = try grow(wrapper.decoder, to: representationVocabSize)
      return report
    default:
      let keys = try network.load(stateDict: unifyingAliases(state, of: network), strict: false)
      let expected = network.stateDict().count
      // Non-strict loading tolerates a few keys; a checkpoint of which no key fits is another network's.
      if expected > 0 && keys.missing.count + keys.shapeMismatches.count >= expected {
        let wanted: String = keys.missing.prefix(3).joined(separator: ", ")
        let held: String = state.names.prefix(3).joined(separator: ", ")
        let networkName = String(describing: type(of: network))
        var message = "no weight of the checkpoint's \(source) fits \(networkName): all \(expected) of its keys "
        message += "(\(wanted), …) are missing or shaped otherwise, and the checkpoint holds \(state.count) keys such "
        message += "as \(held); it is a checkpoint of another network or size: pass one of this network, or the "
        message += "flags that built it"
        throw ModelConfigurationError(message)
      }
      return CheckpointLoadReport(source: source, strict: false, keys: keys)
    }
  }

  /// Throws when a non-strict load met mis-shaped tensors: PyTorch's `load_state_dict(strict=False)`, the
  /// reference's, forgives missing and unexpected keys only, so `--nn_ckpt` of another size must not start a run
  /// that trains on from the random initialisation. (Evaluation requires every key to fit and says so itself.)
  public static func refuseShapeMismatches(_ report: CheckpointLoadReport) throws {
    let mismatches = report.keys.shapeMismatches
    guard !mismatches.isEmpty else { return }
    let listed = mismatches.prefix(5).map { "\($0.name) (the checkpoint has \($0.found), the network \($0.expected))" }
    let more = mismatches.count > 5 ? " and \(mismatches.count - 5) more" : ""
    throw ModelConfigurationError(
      "\(mismatches.count) tensors of the checkpoint's \(report.source) are shaped otherwise than the network's: "
        + listed.joined(separator: ", ") + more + "; it was trained with other sizes: pass the flags that built it "
        + "(--preset, --d_model, --num_layers, --n_heads, --dim_ff, --segment_len, …)")
  }

  /// A submodule registered under two names (the MAE family's `to_patch_embedding`) holds one tensor under both:
  /// every later name takes the value under the first name, when the dict has it. Otherwise an EMA dict merged over
  /// the model's would load the alias's stale (non-averaged) value over the averaged one.
  static func unifyingAliases(_ state: StateDict, of network: Module) -> StateDict {
    var state = state
    var firstName: [ObjectIdentifier: String] = [:]
    for (name, tensor) in network.stateDict() {
      let id = ObjectIdentifier(tensor)
      if let canonical = firstName[id] {
        if let value = state[canonical] { state[name] = value }
      } else {
        firstName[id] = name
      }
    }
    return state
  }

  /// Builds the network from `flags` (the decoder sized by the checkpoint's vocabulary) and loads the
  /// checkpoint at `url` into it.
  public static func buildNetwork(
    _ flags: BuilderFlags, checkpointAt url: URL, ema: Bool, textEncoder: (any TextEncoder)? = nil
  ) throws -> (built: BuiltNetwork, report: CheckpointLoadReport) {
    let (state, source) = try readStateDict(at: url, ema: ema)
    let isDecoder = flags.neuralNetwork.contains("trans") && flags.neuralNetwork.contains("decoder")
    let vocabulary = isDecoder ? decoderVocabularySize(state) : nil
    if isDecoder && vocabulary == nil {
      throw ModelConfigurationError("\(url.path) has no token_emb.weight: it is not a decoder checkpoint")
    }
    let built = try NetworkBuilder.build(flags, checkpointVocabSize: vocabulary, textEncoder: textEncoder)
    let report = try load(state, into: built.network, source: source, representationVocabSize: flags.vocabSize)
    return (built, report)
  }

  /// A strict load whose mismatch names the keys as the checkpoint spells them (`prefix` + name).
  @discardableResult
  private static func strictLoad(_ state: StateDict, into module: Module, prefix: String) throws -> LoadReport {
    do {
      return try module.load(stateDict: state)
    } catch let mismatch as StateDictMismatch {
      var keys = mismatch.report
      keys.missing = keys.missing.map { prefix + $0 }
      keys.unexpected = keys.unexpected.map { prefix + $0 }
      keys.shapeMismatches = keys.shapeMismatches.map {
        .init(name: prefix + $0.name, expected: $0.expected, found: $0.found)
      }
      throw ModelConfigurationError("the checkpoint does not match the network:\n\(keys)")
    }
  }

  private static func grow(_ decoder: DecoderTransformer, to vocabulary: Int?) throws -> (from: Int, to: Int)? {
    guard let vocabulary, vocabulary > decoder.config.vocabSize else { return nil }
    let from = decoder.config.vocabSize
    try decoder.resizeEmbeddings(vocabulary)
    return (from, vocabulary)
  }
}
