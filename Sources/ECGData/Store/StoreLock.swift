import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock held while a run writes an output: `<store>.partial/lock` for a dataset store, `OUT.lock` for
/// a tokenizer. It is a `flock`, so the system releases it when the process ends, even after `kill -9`: a resumed
/// run is never blocked by a dead one.
public final class StoreLock: Sendable {
  /// The lock file's name inside a store's work folder.
  public static let fileName = "lock"
  /// The lock file.
  public let path: String
  private let descriptor: Int32

  /// Takes the lock in a store's work folder; throws naming the holder's process id when another run holds it.
  convenience init(folder: URL) throws {
    try self.init(file: folder.appendingPathComponent(Self.fileName).path, writing: folder.path)
  }

  /// Takes the lock on the file `path` (created when missing) for a run that writes `target`; throws
  /// "another ecg run (process N) is writing TARGET" when another run holds it.
  public init(file path: String, writing target: String) throws {
    var fd: Int32 = -1
    // The holder removes the file when it finishes (removeFile): a lock won on a file already unlinked guards
    // nothing, since the next run creates a fresh one; take it again on the file now at `path`.
    for _ in 0..<100 {
      fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        throw StoreError("cannot create \(path): \(FileErrorText.posixReason(errno)); choose a folder you can write to")
      }
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { break }
      var held = stat()
      var current = stat()
      if fstat(fd, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev
      {
        break
      }
      close(fd)
      fd = -1
    }
    guard fd >= 0 else { throw StoreError("cannot take the lock \(path): it keeps being replaced; try again") }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
      close(fd)
      throw StoreError(
        "another ecg run\(holder.map { $0.isEmpty ? "" : " (process \($0))" } ?? "") is writing \(target); wait for it to finish, or stop it first"
      )
    }
    let pid = Data("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    self.path = path
    descriptor = fd
  }

  /// Deletes the lock file once the output is finished (the lock itself lasts until this object goes away).
  public func removeFile() {
    try? FileManager.default.removeItem(atPath: path)
  }

  deinit { close(descriptor) }
}
