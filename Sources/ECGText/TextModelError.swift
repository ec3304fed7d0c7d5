/// What can go wrong reading a Hugging Face text-model folder; every message says what to do.
public enum TextModelError: Error, CustomStringConvertible, Sendable, Equatable {
  /// A file the folder needs is absent (path, what the folder should hold).
  case missingFile(String, String)
  /// The configuration cannot be read or describes an encoder that cannot be built.
  case invalidConfiguration(String)
  /// The folder holds a model that is not BERT-like.
  case unsupportedModel(String)
  /// The weights do not fit the configuration (missing, unexpected or mis-shaped keys).
  case weightMismatch(String)
  /// The tokenizer files cannot be read or use a scheme other than BERT's WordPiece.
  case invalidTokenizer(String)

  public var description: String {
    switch self {
    case .missingFile(let path, let hint): "\(path) does not exist: \(hint)"
    case .invalidConfiguration(let message): message
    case .unsupportedModel(let message): message
    case .weightMismatch(let message): message
    case .invalidTokenizer(let message): message
    }
  }
}
