import ECGCore
import Torch

/// Configuration of MLAE (`MLAEConfig`, models.md §11): MTAE's fields and defaults except `patch_size` 1
/// (kept by the builder), which makes each lead one token.
@dynamicMemberLookup
public struct MLAEConfig: Codable, Sendable, Equatable {
  /// The shared fields, with MLAE's default patch size.
  public var fields: MTAEConfig

  public init() {
    fields = MTAEConfig()
    fields.patchSize = 1
  }

  /// As the reference builder builds MLAE: `seq_len` = `--segment_len`, `patch_size` stays 1.
  public init(segmentLength: Int) {
    self.init()
    fields.seqLen = segmentLength
  }

  public init(from decoder: any Decoder) throws {
    fields = try MTAEConfig(from: decoder, defaultPatchSize: 1)
  }

  public func encode(to encoder: any Encoder) throws { try fields.encode(to: encoder) }

  public subscript<T>(dynamicMember keyPath: WritableKeyPath<MTAEConfig, T>) -> T {
    get { fields[keyPath: keyPath] }
    set { fields[keyPath: keyPath] = newValue }
  }

  /// Throws when the sizes cannot build a model; the lead count must be a multiple of the patch size.
  public func validate() throws {
    try fields.validate()
    guard fields.numLeads % fields.patchSize == 0 else {
      throw ModelConfigError("num_leads (\(fields.numLeads)) must be a multiple of patch_size (\(fields.patchSize))")
    }
  }
}

/// MLAE, the lead-patch masked autoencoder (mlae.py `MLAE`, models.md §11): MTAE with each lead as one token
/// (n = 12 tokens of L samples, 3 visible per sample at ratio 0.75), `decoder_head` predicting a whole lead.
///
/// Forward, loss, features and the aliased `to_patch_embedding` are MTAE's; the reference cannot train it from its
/// command line (models.md §9.6), here it takes a `SignalBatch`. `features` = the encoder's cls token [B, 768].
public final class MLAE: MTAE {
  public init(config: MLAEConfig) {
    super.init(config: config.fields, layout: .lead(patchSize: config.fields.patchSize))
  }
}
