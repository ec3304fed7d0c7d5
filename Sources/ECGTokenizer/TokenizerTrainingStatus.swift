import Foundation

/// How far the training of a tokenizer file got, from the `training` object of our JSON format.
///
/// `ecg tokenizer train` writes its checkpoints with `"complete": false` to `OUT.partial` (older versions wrote
/// them to `OUT` itself) and the finished tokenizer with `"complete": true` to `OUT`. Files without a `training`
/// object (the reference's pickle, converted files) are finished tokenizers.
public struct TokenizerTrainingStatus: Sendable, Equatable {
  /// Whether training finished.
  public var complete: Bool
  /// `--merges` of the run that wrote the file.
  public var mergesRequested: Int?
  /// The training data as an absolute path, when the file records it.
  public var data: String?
  /// `--sample` of the run, when one was given.
  public var sample: Int?

  public init(complete: Bool, mergesRequested: Int? = nil, data: String? = nil, sample: Int? = nil) {
    self.complete = complete
    self.mergesRequested = mergesRequested
    self.data = data
    self.sample = sample
  }

  /// Reads the `training` object of a JSON tokenizer file; nil when there is none or the text is not JSON.
  public init?(json: Data) {
    guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
      let training = object["training"] as? [String: Any]
    else { return nil }
    self.init(
      complete: training["complete"] as? Bool ?? true, mergesRequested: training["merges_requested"] as? Int,
      data: training["data"] as? String, sample: training["sample"] as? Int)
  }

  /// The tokenizer file that an unfinished training run at `path` produces when it finishes (`path` without the
  /// `.partial` of a checkpoint file).
  public static func finishedPath(of path: String) -> String {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    return absolute.hasSuffix(partialSuffix) ? String(absolute.dropLast(partialSuffix.count)) : absolute
  }

  /// The suffix of the checkpoint file beside a tokenizer being trained.
  public static let partialSuffix = ".partial"

  /// The sentence for the file `path` (holding `merges` merges) whose training did not finish: how far it got and
  /// the command that finishes it.
  public func unfinishedMessage(file path: String, merges: Int) -> String {
    let requested = mergesRequested.map { " of \($0)" } ?? ""
    let command =
      "ecg tokenizer train --data \(data ?? "DATA") --merges \(mergesRequested.map(String.init) ?? "N")"
      + (sample.map { " --sample \($0)" } ?? "") + " --out \(Self.finishedPath(of: path)) --resume"
    let dataNote = data == nil ? " (DATA: the data it was trained on)" : ""
    return "'\(path)' is an unfinished tokenizer (\(merges)\(requested) merges trained); finish it with "
      + "`\(command)`\(dataNote), then use \(Self.finishedPath(of: path))"
  }
}
