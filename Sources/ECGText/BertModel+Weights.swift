import Torch

extension BertModel {
  /// A Hugging Face checkpoint's tensors renamed to `BertModel`'s keys (the quirks of saved BERTs, in one place):
  /// - `bert.`-prefixed keys (checkpoints saved from `BertForMaskedLM`, `BertForSequenceClassification`, …)
  ///   lose the prefix, and the task heads' keys (`cls.*`, `classifier.*`) are dropped;
  /// - the buffers `embeddings.position_ids` / `embeddings.token_type_ids`, persistent in older `transformers`
  ///   and absent from newer checkpoints, are dropped (they are fixed tables the model makes itself);
  /// - TensorFlow-era LayerNorm names `gamma`/`beta` become `weight`/`bias`, as `from_pretrained` renames them.
  public static func sanitize(_ weights: StateDict) -> StateDict {
    let prefixed = weights.names.contains { $0.hasPrefix("bert.") }
    let buffers: Set<String> = ["embeddings.position_ids", "embeddings.token_type_ids"]
    return StateDict(
      weights.compactMap { name, tensor -> (String, Tensor)? in
        var key = name
        if prefixed {
          guard key.hasPrefix("bert.") else { return nil }
          key = String(key.dropFirst("bert.".count))
        }
        guard !buffers.contains(key) else { return nil }
        if key.hasSuffix(".gamma") { key = String(key.dropLast("gamma".count)) + "weight" }
        if key.hasSuffix(".beta") { key = String(key.dropLast("beta".count)) + "bias" }
        return (key, tensor)
      })
  }

  /// Whether a (sanitised) checkpoint has the pooling layer, to build the model to match it.
  public static func hasPooler(_ weights: StateDict) -> Bool {
    sanitize(weights)["pooler.dense.weight"] != nil
  }

  /// Loads a Hugging Face BERT checkpoint strictly, after `sanitize(_:)`: every parameter must be present with
  /// its shape and no other key may remain. Floating tensors are converted to the model's dtype and device.
  /// - Throws: `TextModelError.weightMismatch` naming the missing, unexpected and mis-shaped keys.
  public func load(bertStateDict weights: StateDict) throws {
    do {
      try load(stateDict: Self.sanitize(weights), strict: true)
    } catch let mismatch as StateDictMismatch {
      throw TextModelError.weightMismatch(
        "the weights do not fit the BERT configuration (hidden_size \(configuration.hiddenSize), "
          + "\(configuration.numHiddenLayers) layers, vocab_size \(configuration.vocabSize)):\n\(mismatch.report)\n"
          + "Check that config.json and the weights come from the same model.")
    }
  }
}
