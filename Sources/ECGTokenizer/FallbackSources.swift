import Foundation
import SafePickle

/// Windows from a folder of `.npy` files, in file-name order: numeric arrays of shape [leads, samples] (or [samples]),
/// or the reference's preprocessed records (`np.save` of a dict whose `ecg` is such an array), read safely.
public struct NPYFolderSource: SignalWindowSource {
  public let paths: [String]

  public init(folder: String) throws {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      throw TokenizerError("cannot list '\(folder)': \(error.localizedDescription)")
    }
    paths = names.filter { $0.hasSuffix(".npy") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    guard !paths.isEmpty else { throw TokenizerError("'\(folder)' contains no .npy files") }
  }

  public var count: Int { paths.count }

  public func window(at index: Int) throws -> [Double] {
    guard paths.indices.contains(index) else {
      throw TokenizerError(
        "window index \(index) is out of range: there are \(paths.count) windows (0…\(paths.count - 1))")
    }
    do {
      var array = try NPYFile.read(contentsOf: paths[index], allowPickle: true)
      if array.dtype == .object {
        guard case .ndarray(let ecg)? = try array.item()["ecg"] else {
          throw TokenizerError("'\(paths[index])' is a pickled object without an 'ecg' array")
        }
        array = ecg
      }
      guard array.shape.count <= 2 else {
        throw TokenizerError("'\(paths[index])' has shape \(array.shape); expected [leads, samples]")
      }
      return try array.doubles()
    } catch let error as PickleError {
      throw TokenizerError("'\(paths[index])': \(error.description)")
    }
  }
}

/// Symbol strings from a text file, one per line (blank lines ignored); every character must be `a`…`z`.
public struct SymbolTextSource: SymbolSequenceSource {
  public let lines: [[UInt8]]

  /// Reads and checks `path`; errors name the line and column of a bad character.
  public init(path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw TokenizerError("cannot read '\(path)': no such file or not readable")
    }
    try self.init(text: [UInt8](data), name: path)
  }

  public init(text: [UInt8], name: String) throws {
    var lines: [[UInt8]] = []
    for (number, line) in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
      let symbols = try SymbolTextSource.validated(line, line: number + 1, source: name)
      if !symbols.isEmpty { lines.append(symbols) }
    }
    self.lines = lines
  }

  /// The symbols of one input line (a trailing `\r` is dropped), or an error naming the first bad character.
  public static func validated(_ line: some Collection<UInt8>, line number: Int, source: String) throws -> [UInt8] {
    var symbols = Array(line)
    if symbols.last == UInt8(ascii: "\r") { symbols.removeLast() }
    if let column = symbols.firstIndex(where: { !(97...122).contains($0) }) {
      let byte = symbols[column]
      let shown =
        (0x21...0x7e).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
      throw TokenizerError(
        "\(source) line \(number), column \(column + 1): \(shown) is not an ECG symbol; symbols are the letters a-z, one sequence per line"
      )
    }
    return symbols
  }

  public var count: Int { lines.count }

  public func symbols(at index: Int) throws -> [UInt8] {
    guard lines.indices.contains(index) else {
      throw TokenizerError("sequence index \(index) is out of range: there are \(lines.count) sequences")
    }
    return lines[index]
  }
}
