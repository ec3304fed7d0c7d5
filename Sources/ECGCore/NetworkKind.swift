/// The reference's networks (`--neural_network`).
public enum NetworkKind: String, Sendable, CaseIterable, Codable {
  case dit = "trans_continuous_dit"
  case nepa = "trans_continuous_nepa"
  case decoder = "trans_discrete_decoder"
  case maeViT = "mae_vit"
  case merl
  case mlae
  case mtae
  case stMEM = "st_mem"

  /// Whether the network reads the continuous signal (every network but the discrete decoder).
  public var isContinuous: Bool { self != .decoder }
}

/// Training objectives (`--objective`).
public enum ObjectiveKind: String, Sendable, CaseIterable, Codable {
  case ddpm
  case rectifiedFlow = "rectified_flow"
  case autoregressive
  case mae
  case merl
}
