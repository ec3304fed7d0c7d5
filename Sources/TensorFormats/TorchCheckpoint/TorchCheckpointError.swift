import Foundation
import SafePickle

/// A `torch.save` checkpoint could not be read, with the file and the reason.
public struct TorchCheckpointError: Error, CustomStringConvertible, LocalizedError {
  /// What is wrong.
  public enum Reason: Error, Sendable, CustomStringConvertible {
    /// The file is not a ZIP-format checkpoint, or its archive is damaged.
    case archive(String)
    /// The file uses torch's pre-1.6 (non-ZIP) format.
    case legacyFormat
    /// No `<archive>/data.pkl` in the archive.
    case missingPickle
    /// A storage record the pickle refers to is missing or too small.
    case missingStorage(key: String, detail: String)
    /// The checkpoint was written on a big-endian machine.
    case unsupportedByteOrder(String)
    /// The pickle was refused (a forbidden global) or is malformed.
    case pickle(PickleError)
    /// The pickle is valid but holds something that is not checkpoint data.
    case unsupportedValue(String)
    /// A tensor's view does not fit its storage.
    case invalidTensor(StoredTensorError)

    public var description: String {
      switch self {
      case .archive(let detail): detail
      case .legacyFormat:
        "it uses torch's legacy (pre-1.6) serialization format; load it in PyTorch and save it again with torch.save"
      case .missingPickle: "it has no data.pkl record, so it is not a torch.save checkpoint"
      case .missingStorage(let key, let detail): "tensor storage '\(key)' \(detail); the file is truncated or corrupt"
      case .unsupportedByteOrder(let order): "it was written with \(order)-endian byte order, which is not supported"
      case .pickle(.forbiddenGlobal(let name)):
        "its pickle asks for the global '\(name)', which is not allowed: only tensors, storages, OrderedDict and "
          + "plain Python data are read, and nothing in the file is ever executed. If you trust the file, load it "
          + "in PyTorch and export its tensors (for example with safetensors)"
      case .pickle(let error): error.description
      case .unsupportedValue(let detail): "it holds \(detail), which a checkpoint reader does not support"
      case .invalidTensor(let error): error.description
      }
    }
  }

  /// The file, when known.
  public let path: String?
  /// What is wrong.
  public let reason: Reason

  /// An error about `path` (nil when reading from memory).
  public init(_ reason: Reason, path: String? = nil) {
    self.reason = reason
    self.path = path
  }

  /// The name of the forbidden global, when the pickle asked for one.
  public var forbiddenGlobal: String? {
    if case .pickle(.forbiddenGlobal(let name)) = reason { return name }
    return nil
  }

  public var description: String {
    "cannot read checkpoint \(path ?? "(in memory)"): \(reason)"
  }

  public var errorDescription: String? { description }
}
