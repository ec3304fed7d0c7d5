import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The checks before a command writes a dataset store at `--out`: nothing is ever deleted that `ecg` did
/// not write, and the output never covers the input or the current folder.
public enum OutputFolder {
  /// Whether `url` is a folder holding `store.json` (a store `ecg` wrote).
  public static func isStore(_ url: URL) -> Bool {
    FileManager.default.fileExists(atPath: url.appendingPathComponent("store.json").path)
  }

  /// The dataset store that `url` lies inside: its nearest enclosing folder that holds `store.json`, or a store's
  /// unfinished work folder (`<store>.partial` with a lock or settings file); nil when there is none.
  public static func enclosingStore(of url: URL) -> URL? {
    var folder = url.standardizedFileURL.deletingLastPathComponent()
    while true {
      let isWorkFolder =
        folder.lastPathComponent.hasSuffix(".partial")
        && ["settings.json", StoreLock.fileName].contains {
          FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
      if isStore(folder) || isWorkFolder { return folder }
      if folder.path == "/" || folder.path.isEmpty { return nil }
      folder = folder.deletingLastPathComponent()
    }
  }

  /// `url` with symbolic links resolved and `.`/`..` removed, as an absolute path.
  static func canonical(_ url: URL) -> String {
    let path = url.standardizedFileURL.resolvingSymlinksInPath().path
    return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  /// Whether `inner` is `outer` or lies inside it.
  static func contains(_ outer: String, _ inner: String) -> Bool {
    outer == "/" || inner == outer || inner.hasPrefix(outer + "/")
  }

  /// Throws unless a store may be written at `url`: not the root, the current folder or a folder holding
  /// it; not equal to or holding any of `inputs`; and, if something exists there, a store (replaced only
  /// with `overwrite`).
  public static func check(_ url: URL, inputs: [URL] = [], overwrite: Bool) throws {
    let target = canonical(url)
    let current = canonical(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    if contains(target, current) {
      throw StoreError(
        "refusing to write a store at \(url.path): it is the current folder or holds it; give --out a new folder name")
    }
    for input in inputs where contains(target, canonical(input)) {
      throw StoreError(
        "refusing to write a store at \(url.path): it is or holds the input \(input.path); choose another --out")
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return }
    guard isFolder.boolValue && isStore(url) else {
      throw StoreError(
        "\(url.path) exists and is not a dataset store (no store.json); ecg replaces only stores it wrote: choose another --out or move it away yourself"
      )
    }
    if !overwrite {
      throw StoreError("\(url.path) already exists; choose another --out or pass --overwrite to replace it")
    }
  }

  /// Free bytes on the file system that holds `url` (or its nearest existing parent); nil when unknown.
  public static func availableBytes(near url: URL) -> Int? {
    var folder = url.standardizedFileURL
    while !FileManager.default.fileExists(atPath: folder.path) && folder.path != "/" {
      folder = folder.deletingLastPathComponent()
    }
    var info = statvfs()
    guard statvfs(folder.path, &info) == 0 else { return nil }
    let (bytes, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
    return overflow ? Int.max : bytes
  }

  /// Throws when `bytes` (an estimate of what a run will write) exceed the free space near `url`.
  public static func checkSpace(_ bytes: Int, near url: URL) throws {
    guard let free = availableBytes(near: url), bytes > free else { return }
    throw StoreError(
      "the store at \(url.path) needs about \(byteText(bytes)) but only \(byteText(free)) are free there; free some space or write fewer records"
    )
  }

  /// `123.4 GB`-style sizes.
  public static func byteText(_ bytes: Int) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
  }
}
