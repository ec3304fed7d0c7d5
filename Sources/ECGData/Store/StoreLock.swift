import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An exclusive lock on `<store>.partial/lock`, held while a run writes the store (`flock`, so the system
/// releases it when the process ends, even after `kill -9`: a resumed run is never blocked by a dead one).
final class StoreLock: Sendable {
  /// The lock file's name inside the work folder.
  static let fileName = "lock"
  private let descriptor: Int32

  /// Takes the lock; throws naming the holder's process id when another run holds it.
  init(folder: URL) throws {
    let path = folder.appendingPathComponent(Self.fileName).path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw StoreError("cannot create \(path): \(FileErrorText.posixReason(errno)); choose a folder you can write to")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
      close(fd)
      throw StoreError(
        "another ecg run\(holder.map { $0.isEmpty ? "" : " (process \($0))" } ?? "") is writing \(folder.path); wait for it to finish, or stop it first"
      )
    }
    let pid = Data("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    descriptor = fd
  }

  deinit { close(descriptor) }
}
