import Foundation
import TensorFormats

/// A file `ecg checkpoint` can open: a safetensors file or a `torch.save` checkpoint, told apart by
/// content (a ZIP or pickle signature means PyTorch), not by extension. Anything else is named as such,
/// never misread as a safetensors file with an absurd header.
enum CheckpointFile {
  case safeTensors(SafeTensorsFile)
  case torch(TorchCheckpoint)

  /// The pickle torch's legacy (pre-1.6) format starts with: protocol 2, then the magic number as a LONG1.
  static let legacyMagic: [UInt8] = [
    0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19,
  ]

  /// A `torch.save` checkpoint at `path`, for `ecg checkpoint convert`: a corrupt pickle is called corrupt.
  static func torchCheckpoint(path: String) throws -> TorchCheckpoint {
    let buffer = try ByteBuffer(mapping: URL(fileURLWithPath: path))
    let head = buffer.withUnsafeBytes(in: 0..<min(buffer.count, 16)) { Array($0) }
    return try torchCheckpoint(buffer, path: URL(fileURLWithPath: path).path, head: head)
  }

  init(path: String) throws {
    let url = URL(fileURLWithPath: path)
    let buffer = try ByteBuffer(mapping: url)
    let head = buffer.withUnsafeBytes(in: 0..<min(buffer.count, 16)) { Array($0) }
    let isZip = head.starts(with: [0x50, 0x4B, 0x03, 0x04])
    if isZip || head.first == 0x80 {
      self = .torch(try Self.torchCheckpoint(buffer, path: url.path, head: head))
    } else if Self.looksLikeSafeTensors(head) {
      self = .safeTensors(try SafeTensorsFile(buffer: buffer, path: url.path))
    } else {
      throw CommandError(
        "\(path) is not a safetensors file, a ZIP checkpoint (torch.save) or a supported pickle (protocol 2 or later)")
    }
  }

  /// The checkpoint in `buffer`; a pickle that is neither ZIP nor legacy is called corrupt, not "legacy".
  static func torchCheckpoint(_ buffer: ByteBuffer, path: String, head: [UInt8]) throws -> TorchCheckpoint {
    let result: Result<TorchCheckpoint, TorchCheckpointError>
    do {
      result = .success(try TorchCheckpoint(buffer: buffer, path: path))
    } catch {
      result = .failure(error)
    }
    if case .failure(let error) = result, case .legacyFormat = error.reason, !head.starts(with: legacyMagic) {
      throw CommandError(
        "cannot read checkpoint \(path): it is a pickle but not a torch.save checkpoint (neither ZIP nor the legacy format); it is corrupt, truncated or another kind of file"
      )
    }
    return try result.get()
  }

  /// A safetensors file starts with its header's length (8 bytes, little-endian) and the header's `{`.
  static func looksLikeSafeTensors(_ head: [UInt8]) -> Bool {
    guard head.count > 8 else { return false }
    return head[8...].first(where: { $0 != 0x20 }) == UInt8(ascii: "{")
  }
}
