/// Why a ZIP archive could not be read.
enum ZipError: Error, Equatable, CustomStringConvertible {
  /// The bytes are not a ZIP archive at all (or lost their end).
  case notZip(detail: String)
  /// The archive structure is damaged.
  case corrupt(String)
  /// An entry is compressed; only stored entries can be read in place.
  case compressedEntry(name: String, method: UInt16)
  /// An entry's bytes do not match its CRC-32.
  case checksumMismatch(name: String)

  var description: String {
    switch self {
    case .notZip(let detail): "it is not a ZIP archive (\(detail))"
    case .corrupt(let detail): "the ZIP archive is damaged: \(detail)"
    case .compressedEntry(let name, let method):
      "entry '\(name)' is compressed (method \(method)); only uncompressed entries, as torch.save writes them, are supported"
    case .checksumMismatch(let name): "entry '\(name)' does not match its CRC-32 checksum; the file is corrupt"
    }
  }
}
