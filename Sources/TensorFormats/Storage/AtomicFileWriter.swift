import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file under a temporary name in the destination folder and renames it into place once
/// everything is on disk, so readers never see a half-written file and a crash leaves the old one.
struct AtomicFileWriter {
  private let destination: String
  private let temporary: String
  private var descriptor: Int32

  /// Creates the temporary file next to `url`.
  init(destination url: URL) throws {
    destination = url.path
    let folder = url.deletingLastPathComponent().path
    temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw FileAccessError(path: temporary, action: "create", code: errno) }
  }

  /// Appends `bytes`.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    var written = 0
    while written < bytes.count {
      let result = systemWrite(descriptor, bytes.baseAddress! + written, bytes.count - written)
      if result < 0 {
        if errno == EINTR { continue }
        throw FileAccessError(path: temporary, action: "write", code: errno)
      }
      written += result
    }
  }

  /// Flushes the file to disk and renames it to the destination.
  mutating func commit() throws {
    guard fsync(descriptor) == 0 else { throw FileAccessError(path: temporary, action: "flush", code: errno) }
    close(descriptor)
    descriptor = -1
    guard rename(temporary, destination) == 0 else {
      let code = errno
      unlink(temporary)
      throw FileAccessError(path: destination, action: "rename \(temporary) to", code: code)
    }
  }

  /// Removes the temporary file after a failure.
  mutating func abandon() {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
    unlink(temporary)
  }
}

#if canImport(Glibc)
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  private let systemWrite = Darwin.write
#endif
