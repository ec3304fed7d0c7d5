import ECGData
import ECGTokenizer
import Foundation

/// The windows behind `--data` / `--from-store`.
///
/// A dataset store (a folder with `store.json`), a folder of `.npy` windows ([leads, samples] arrays or the
/// reference's preprocessed dict records), or a text file of symbol strings, one per line.
enum TokenizerData {
  case signals(any SignalWindowSource)
  case symbols(SymbolTextSource)

  static func open(_ path: String) throws -> TokenizerData {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      if let unfinished = UnfinishedStore.clause(path) { throw TokenizerError("'\(path)' \(unfinished)") }
      throw TokenizerError(
        "'\(path)' does not exist; pass a dataset store, a folder of .npy windows or a text file of symbol strings")
    }
    if isDirectory.boolValue {
      if FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("store.json")) {
        return .signals(StoreSignalWindows(StoreWindowSource(try DatasetStore(path: path))))
      }
      return .signals(try NPYFolderSource(folder: path))
    }
    return .symbols(try SymbolTextSource(path: path))
  }

  var count: Int {
    switch self {
    case .signals(let source): return source.count
    case .symbols(let source): return source.count
    }
  }

  /// The training corpus source (float64 symbolisation, as the reference's tokenizer training).
  var trainingSource: any SymbolSequenceSource {
    switch self {
    case .signals(let source): return AnySignalSymbols(source: source)
    case .symbols(let source): return source
    }
  }

  /// The symbols of window `index` as the framework's `bpe_symbolic` representation sees them (float32).
  func symbolsForEncoding(at index: Int) throws -> [UInt8] {
    guard (0..<count).contains(index) else {
      throw TokenizerError("index \(index) is out of range: the data has \(count) windows (0…\(max(0, count - 1)))")
    }
    switch self {
    case .signals(let source):
      return Symbolizer.symbolize(try source.window(at: index).map { Float($0) }, precision: .float32).symbols
    case .symbols(let source): return try source.symbols(at: index)
    }
  }
}

private struct AnySignalSymbols: SymbolSequenceSource {
  let source: any SignalWindowSource
  var count: Int { source.count }
  func symbols(at index: Int) throws -> [UInt8] {
    let window = try source.window(at: index)
    guard window.allSatisfy(\.isFinite) else { throw TokenizerError("window \(index) contains NaN or infinite values") }
    return Symbolizer.symbolize(window).symbols
  }
}

/// Reads a text input (a file, or standard input for nil or "-") as lines.
func readLines(_ path: String?) throws -> [Substring] {
  let data: Data
  if let path, path != "-" {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw TokenizerError("cannot read '\(path)': no such file or not readable")
    }
    data = contents
  } else {
    data = FileHandle.standardInput.readDataToEndOfFile()
  }
  var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
  if lines.last == "" { lines.removeLast() }
  return lines
}
