import Foundation

/// Converts a reference training checkpoint (`torch.save` of `epoch`, `step`, `model_state_dict`,
/// `optimizer_state_dict`, `ema_state_dict`) into a folder of safetensors and JSON files:
///
/// - `model.safetensors`: `model_state_dict` (or the whole file when it is a bare state dict), its order in the
///   metadata entry `order` (a JSON list of names), as our checkpoints keep it;
/// - `ema.safetensors`: `ema_state_dict`, when present;
/// - `optimizer.safetensors` + `optimizer.json`: `optimizer_state_dict`'s tensors, named by their
///   path (`state.0.exp_avg`), and its structure with each tensor replaced by a reference;
/// - `trainer.json`: the remaining top-level entries (`epoch`, `step`, ...).
///
/// The `_orig_mod.` prefix of a `torch.compile`d model is removed from state-dict names when every
/// name has it (the reference cannot load such checkpoints; see the models spec §2.1).
public enum ReferenceCheckpointConverter {
  /// What a conversion wrote.
  public struct Report: Sendable {
    /// One file written.
    public struct File: Sendable, Equatable {
      /// The file name inside the output folder.
      public var name: String
      /// Number of tensors in a safetensors file; nil for JSON files.
      public var tensorCount: Int?

      /// A file entry.
      public init(name: String, tensorCount: Int?) {
        self.name = name
        self.tensorCount = tensorCount
      }
    }

    /// Files written, in order.
    public var files: [File] = []
    /// Notes for the user (removed prefixes, entries left out and why).
    public var notes: [String] = []

    /// A report of `files` and `notes`.
    public init(files: [File] = [], notes: [String] = []) {
      self.files = files
      self.notes = notes
    }
  }

  /// Top-level keys with a dedicated output file.
  static let modelKey = "model_state_dict"
  static let emaKey = "ema_state_dict"
  static let optimizerKey = "optimizer_state_dict"
  static let compilePrefix = "_orig_mod."

  /// Writes the files for `checkpoint` into `folder` (created if needed); each file is written
  /// atomically. Throws when there is no model state dict or it holds something besides tensors.
  public static func convert(_ checkpoint: TorchCheckpoint, to folder: URL) throws -> Report {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var report = Report()
    let root = checkpoint.root
    guard let entries = root.dictionaryEntries else {
      throw ConversionError("the checkpoint holds a \(root.typeDescription), not a dictionary")
    }
    let isBareStateDict = root.stateDictionary != nil && root[modelKey] == nil
    let model = isBareStateDict ? root : root[modelKey]
    guard let model else {
      throw ConversionError("the checkpoint has no '\(modelKey)' entry and is not itself a state dict")
    }
    try writeStateDict(
      model, key: isBareStateDict ? "(whole file)" : modelKey, name: "model.safetensors", in: folder, report: &report)
    if isBareStateDict { return report }

    if let ema = root[emaKey] {
      try writeStateDict(ema, key: emaKey, name: "ema.safetensors", in: folder, report: &report)
    }
    if let optimizer = root[optimizerKey] {
      var writer = SafeTensorsWriter(metadata: ["format": "pt"])
      let tensors = optimizer.tensorsByPath()
      for (path, tensor) in tensors { try writer.add(tensor, named: path) }
      try writer.write(to: folder.appendingPathComponent("optimizer.safetensors"))
      report.files.append(.init(name: "optimizer.safetensors", tensorCount: tensors.count))
      try writeJSON(optimizer.jsonText(), name: "optimizer.json", in: folder, report: &report)
    }

    var trainer: [CheckpointEntry] = []
    for entry in entries {
      let key = entry.key.pathComponent
      guard ![modelKey, emaKey, optimizerKey].contains(key) else { continue }
      if entry.value.containsTensors {
        report.notes.append("left out '\(key)': it holds tensors and has no conversion")
      } else {
        trainer.append(entry)
      }
    }
    try writeJSON(CheckpointValue.dictionary(trainer).jsonText(), name: "trainer.json", in: folder, report: &report)
    return report
  }

  private static func writeStateDict(
    _ value: CheckpointValue, key: String, name: String, in folder: URL, report: inout Report
  ) throws {
    guard var tensors = value.stateDictionary else {
      throw ConversionError("'\(key)' is a \(value.typeDescription) that is not a state dict (names mapped to tensors)")
    }
    if !tensors.isEmpty, tensors.allSatisfy({ $0.name.hasPrefix(compilePrefix) }) {
      tensors = tensors.map { (String($0.name.dropFirst(compilePrefix.count)), $0.tensor) }
      report.notes.append("removed the torch.compile prefix '\(compilePrefix)' from the names in \(name)")
    }
    let order = String(decoding: try JSONEncoder().encode(tensors.map(\.name)), as: UTF8.self)
    let metadata: SafeTensorsMetadata = ["format": "pt", SafeTensorsMetadata.stateDictOrderKey: order]
    var writer = SafeTensorsWriter(metadata: metadata)
    for (tensorName, tensor) in tensors { try writer.add(tensor, named: tensorName) }
    try writer.write(to: folder.appendingPathComponent(name))
    report.files.append(.init(name: name, tensorCount: tensors.count))
  }

  private static func writeJSON(_ text: String, name: String, in folder: URL, report: inout Report) throws {
    try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
    report.files.append(.init(name: name, tensorCount: nil))
  }
}

/// A checkpoint that cannot be converted, and why.
public struct ConversionError: Error, CustomStringConvertible, LocalizedError {
  /// What is wrong.
  public let description: String

  init(_ description: String) { self.description = "cannot convert the checkpoint: " + description }

  public var errorDescription: String? { description }
}
