import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A whole file mapped read-only into memory.
///
/// `@unchecked Sendable`: the mapping is read-only and never changes after `init`, so sharing the
/// pointer between threads is safe; it is unmapped only in `deinit`.
public final class MappedFile: @unchecked Sendable {
  /// The mapped bytes (empty for an empty file).
  public let bytes: UnsafeRawBufferPointer

  /// Maps the file at `path`.
  public init(path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw StoreError("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw StoreError("cannot stat \(path): \(String(cString: strerror(errno)))") }
    let size = Int(info.st_size)
    guard size > 0 else {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
      throw StoreError("cannot map \(path): \(String(cString: strerror(errno)))")
    }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  deinit {
    if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
  }
}
