import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Read-only bytes that tensors point into: a memory-mapped file or an owned copy.
///
/// Tensors read from a file share one mapping, so a large checkpoint is never copied just to be
/// opened; bytes are only copied when a caller asks for a contiguous buffer of a strided view, or
/// for typed values.
public final class ByteBuffer: @unchecked Sendable {
  /// Who releases the memory.
  private enum Ownership {
    case mapped(length: Int)
    case allocated
    case borrowed(owner: any Sendable)
  }

  // Immutable after init: the pointer is only ever read, so sharing across threads is safe.
  private let base: UnsafeRawPointer?
  /// Number of bytes.
  public let count: Int
  private let ownership: Ownership

  /// Maps the file at `url` read-only.
  public init(mapping url: URL) throws {
    let path = url.path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileAccessError(path: path, action: "open", code: errno) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw FileAccessError(path: path, action: "stat", code: errno) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw FileAccessError(path: path, action: "read (it is not a regular file)", code: nil)
    }
    let size = Int(info.st_size)
    if size == 0 {
      base = nil
      count = 0
      ownership = .allocated
      return
    }
    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else { throw FileAccessError(path: path, action: "map", code: errno) }
    base = UnsafeRawPointer(address)
    count = size
    ownership = .mapped(length: size)
  }

  /// Copies `bytes` into a new buffer.
  public init(copying bytes: some Collection<UInt8>) {
    let size = bytes.count
    count = size
    ownership = .allocated
    guard size > 0 else {
      base = nil
      return
    }
    let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    let destination = UnsafeMutableRawBufferPointer(start: memory, count: size)
    destination.copyBytes(from: bytes)
    base = UnsafeRawPointer(memory)
  }

  /// Wraps `count` bytes at `pointer` without copying them, e.g. a tensor's memory to be written
  /// to a file. `owner` is kept alive as long as the buffer and must keep the bytes valid and
  /// unchanged for that long.
  public init(borrowing pointer: UnsafeRawPointer, count: Int, owner: any Sendable) {
    base = count > 0 ? pointer : nil
    self.count = count
    ownership = .borrowed(owner: owner)
  }

  deinit {
    guard let base else { return }
    switch ownership {
    case .mapped(let length): munmap(UnsafeMutableRawPointer(mutating: base), length)
    case .allocated: base.deallocate()
    case .borrowed: break
    }
  }

  /// Calls `body` with the bytes in `range` (which must lie inside the buffer).
  public func withUnsafeBytes<Result, Failure: Error>(
    in range: Range<Int>? = nil, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    let range = range ?? 0..<count
    precondition(
      range.lowerBound >= 0 && range.upperBound <= count, "byte range \(range) outside buffer of \(count) bytes")
    guard let base, !range.isEmpty else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    return try body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
  }
}

/// A file could not be opened, inspected or mapped.
public struct FileAccessError: Error, CustomStringConvertible, LocalizedError {
  /// The path involved.
  public let path: String
  /// What was attempted.
  public let action: String
  /// The `errno` value, when the system reported one.
  public let code: Int32?

  /// A sentence naming the file and the system's reason.
  public var description: String {
    let reason = code.map { ": " + String(cString: strerror($0)) } ?? ""
    return "cannot \(action) \(path)\(reason)"
  }

  public var errorDescription: String? { description }
}
