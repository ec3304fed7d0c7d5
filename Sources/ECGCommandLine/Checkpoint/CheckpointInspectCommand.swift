import ArgumentParser
import Foundation
import TensorFormats

/// `ecg checkpoint inspect PATH`: list the tensors (name, dtype, shape) of a safetensors file or a
/// reference `.pt` checkpoint, with metadata and the checkpoint's other entries.
struct CheckpointInspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Print the tensors (name, dtype, shape) of a safetensors file or a PyTorch checkpoint.",
    discussion: """
      PyTorch checkpoints are read without running any code: only tensors and plain Python data are \
      accepted. Tensors nested in a checkpoint are named by their path, e.g. model_state_dict.layers.0.weight.
      """
  )

  @Argument(help: "A .safetensors file or a checkpoint written by torch.save.")
  var path: String

  func run() throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw CommandError(
        "\(path) is a folder; pass a file (a checkpoint folder's model.safetensors, or a reference .pt)")
    }
    for line in try Self.lines(for: CheckpointFile(path: path), path: path) { print(line) }
  }

  static func lines(for file: CheckpointFile, path: String) -> [String] {
    switch file {
    case .safeTensors(let file):
      var lines = ["\(path): safetensors, \(file.names.count) tensors"]
      if !file.metadata.isEmpty {
        lines.append("metadata:")
        lines += file.metadata.keys.sorted().map { "  \($0): \(file.metadata[$0]!)" }
      }
      return lines + table(file.orderedTensors.map { ($0.name, $0.tensor) })
    case .torch(let checkpoint):
      let tensors = checkpoint.root.tensorsByPath()
      var lines = ["\(path): PyTorch checkpoint '\(checkpoint.archiveName)', \(tensors.count) tensors"]
      let others = (checkpoint.root.dictionaryEntries ?? []).filter { !$0.value.containsTensors }
      if !others.isEmpty {
        lines.append("entries:")
        lines += others.map { "  \($0.key.pathComponentForDisplay): \($0.value.summary)" }
      }
      // A tensor saved alone (torch.save(tensor)) sits at the top, where its path is empty.
      return lines + table(tensors.map { ($0.path.isEmpty ? "(the whole file)" : $0.path, $0.tensor) })
    }
  }

  /// Aligned `name  dtype  shape` rows under a `tensors:` heading.
  static func table(_ rows: [(name: String, tensor: StoredTensor)]) -> [String] {
    guard !rows.isEmpty else { return [] }
    let nameWidth = rows.map(\.name.count).max()!
    return ["tensors:"]
      + rows.map { row in
        let name = row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        let dtype = row.tensor.dtype.pytorchName.padding(toLength: 8, withPad: " ", startingAt: 0)
        return "  \(name)  \(dtype)  [\(row.tensor.shape.map(String.init).joined(separator: ", "))]"
      }
  }
}

extension CheckpointValue {
  /// The key as printed: strings bare, others as Python writes them.
  fileprivate var pathComponentForDisplay: String {
    if case .string(let text) = self { return text }
    return summary
  }

  /// A one-line description: scalars in full, containers by size.
  fileprivate var summary: String {
    switch self {
    case .none: "None"
    case .bool(let value): value ? "True" : "False"
    case .int(let value): String(value)
    case .float(let value): String(value)
    case .string(let text): "'\(text)'"
    case .bytes(let bytes): "bytes (\(bytes.count))"
    case .list(let items): "list (\(items.count) items)"
    case .tuple(let items): "tuple (\(items.count) items)"
    case .dictionary(let entries): "dict (\(entries.count) entries)"
    case .tensor(let tensor): "tensor \(tensor.dtype) \(tensor.shape)"
    }
  }
}
