import Torch

/// A batch of tokenised texts (the reference's `condition` dict for text conditioning and MERL).
public struct TextCondition: Sendable {
  /// `input_ids` int64 [B, T].
  public var inputIDs: Tensor
  /// `attention_mask` int64 [B, T] (1 = real token).
  public var attentionMask: Tensor
  /// `token_type_ids` int64 [B, T].
  public var tokenTypeIDs: Tensor

  public init(inputIDs: Tensor, attentionMask: Tensor, tokenTypeIDs: Tensor) {
    self.inputIDs = inputIDs
    self.attentionMask = attentionMask
    self.tokenTypeIDs = tokenTypeIDs
  }

  /// Stacks tokenised texts of one length into [B, T] tensors.
  public init(stacking texts: [TextTokens]) {
    let length = texts.first?.count ?? 0
    precondition(texts.allSatisfy { $0.count == length }, "texts must be padded to one length")
    let shape = [texts.count, length]
    inputIDs = Tensor(texts.flatMap(\.inputIDs), shape: shape)
    attentionMask = Tensor(texts.flatMap(\.attentionMask), shape: shape)
    tokenTypeIDs = Tensor(texts.flatMap(\.tokenTypeIDs), shape: shape)
  }

  public func to(_ device: Device) -> TextCondition {
    TextCondition(
      inputIDs: inputIDs.transferred(to: device), attentionMask: attentionMask.transferred(to: device),
      tokenTypeIDs: tokenTypeIDs.transferred(to: device))
  }
}
