import Foundation

/// A dataset store still being written: `<store>.partial/` exists, `<store>` not yet (see `StoreWriter`).
public enum UnfinishedStore {
  /// The work folder of the store at `path`, when it exists.
  public static func workFolder(of path: String) -> String? {
    let partial = path + ".partial"
    return FileManager.default.fileExists(atPath: partial) ? partial : nil
  }

  /// The command line the unfinished run recorded in its work folder (`StoreWriter.commandFileName`), if any.
  public static func command(of path: String) -> String? {
    let text = try? String(contentsOfFile: path + ".partial/" + StoreWriter.commandFileName, encoding: .utf8)
    return text?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// For a `path` that does not exist but whose work folder does: "is a store still being written
  /// (`<path>.partial` holds its finished part); run `COMMAND` again to finish it". Nil when there is no such run.
  public static func clause(_ path: String) -> String? {
    guard !FileManager.default.fileExists(atPath: path), let partial = workFolder(of: path) else { return nil }
    return "is a store still being written (\(partial) holds its finished part); "
      + (command(of: path).map { "run `\($0)` again to finish it" }
        ?? "run the command that writes it again to finish it")
  }
}
