import ECGData
import Foundation

/// The checks before a command writes a file (a tokenizer, an export, converted checkpoint files): done
/// before any work, so a long run never ends in "cannot write".
enum OutputFile {
  /// Throws unless `path` can be written: its folder exists and is writable, and the file does not exist
  /// (or `overwrite` is set and it is a regular file). `flag` names the option in messages.
  static func check(_ path: String, overwrite: Bool, flag: String = "--out") throws {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
      if isFolder.boolValue { throw CommandError("\(path) is a folder; give \(flag) a file name") }
      if !overwrite { throw CommandError("\(path) already exists; pass --overwrite to replace it") }
      guard FileManager.default.isWritableFile(atPath: url.path) else {
        throw CommandError("cannot write \(path): permission denied; choose a file you can write")
      }
      return
    }
    try checkFolder(url.deletingLastPathComponent().path, flag: flag)
  }

  /// Throws when the file `path` would replace or land inside what the command reads, or inside a dataset store
  /// (`--overwrite` must never replace a store's `store.json`, index or shards): `path` must not be `input` or lie
  /// inside it (symbolic links resolved), nor lie inside a folder holding `store.json`. `inputName` names the input
  /// in messages ("the training data").
  static func checkOutside(_ path: String, input: String, inputName: String, flag: String = "--out") throws {
    let target = resolved(path)
    let source = resolved(input)
    if target == source { throw CommandError("\(flag) \(path) is \(inputName); choose another file name") }
    if target.hasPrefix(source + "/") {
      throw CommandError("\(flag) \(path) is inside \(inputName) \(input); choose a file outside it")
    }
    if let store = OutputFolder.enclosingStore(of: URL(fileURLWithPath: target)) {
      throw CommandError(
        "\(flag) \(path) is inside the dataset store \(store.path), whose files ecg never replaces; "
          + "choose a file outside it"
      )
    }
  }

  /// `path` made absolute with symbolic links resolved (those of its folder when the file does not exist yet).
  private static func resolved(_ path: String) -> String {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
    return url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
  }

  /// Throws unless `folder` exists, is a folder and is writable.
  static func checkFolder(_ folder: String, flag: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
      throw CommandError("cannot write into \(folder): no such folder; create it first or fix \(flag)")
    }
    guard isFolder.boolValue else { throw CommandError("cannot write into \(folder): it is not a folder; fix \(flag)") }
    guard FileManager.default.isWritableFile(atPath: folder) else {
      throw CommandError("cannot write into \(folder): permission denied; choose a folder you can write to")
    }
  }

  /// Throws unless files named `names` can be written into `folder` (created when missing): existing
  /// ones are replaced only with `overwrite`.
  static func checkFiles(_ names: [String], in folder: String, overwrite: Bool, flag: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
      guard isFolder.boolValue else { throw CommandError("\(folder) is not a folder; fix \(flag)") }
      let existing = names.filter {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: folder).appendingPathComponent($0).path)
      }
      if !existing.isEmpty && !overwrite {
        throw CommandError(
          "\(folder) already holds \(existing.joined(separator: ", ")); pass --overwrite to replace them")
      }
      try checkFolder(folder, flag: flag)
    } else {
      var parent = URL(fileURLWithPath: folder).standardizedFileURL.deletingLastPathComponent()
      while !FileManager.default.fileExists(atPath: parent.path) && parent.path != "/" {
        parent = parent.deletingLastPathComponent()
      }
      try checkFolder(parent.path, flag: flag)
    }
  }

  /// Writes `data` to `path` atomically, with a sentence on failure.
  static func write(_ data: Data, to path: String) throws {
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw CommandError(FileErrorText.sentence(error, action: "write", path: path))
    }
  }
}
