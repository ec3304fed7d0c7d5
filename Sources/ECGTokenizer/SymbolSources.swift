import SafePickle

/// A collection of ECG windows for training and encoding. This is where the dataset store plugs in: an adapter
/// that exposes the store's windows (12 leads × 2500 samples, lead-major) conforms to this protocol.
public protocol SignalWindowSource: Sendable {
  /// Number of windows.
  var count: Int { get }
  /// Window `index`: lead-major samples (all of lead 0, then lead 1, …), normalised together when symbolised.
  func window(at index: Int) throws -> [Double]
}

/// A collection of symbol strings (one per window), the input BPE training and encoding consume.
public protocol SymbolSequenceSource: Sendable {
  var count: Int { get }
  /// The symbols (`a`…`z` bytes) of sequence `index`.
  func symbols(at index: Int) throws -> [UInt8]
}

/// Symbolises the windows of a `SignalWindowSource` (float64, as the reference's training corpus).
public struct SymbolizedWindows<Source: SignalWindowSource>: SymbolSequenceSource {
  public let source: Source

  public init(_ source: Source) { self.source = source }

  public var count: Int { source.count }

  public func symbols(at index: Int) throws -> [UInt8] {
    let window = try source.window(at: index)
    guard window.allSatisfy(\.isFinite) else {
      throw TokenizerError("window \(index) contains NaN or infinite values")
    }
    return Symbolizer.symbolize(window).symbols
  }
}

extension SymbolSequenceSource {
  /// The training corpus: sequences `indices` (default all), symbolised on `threads` threads in blocks and
  /// concatenated in index order with no separator, as the reference concatenates its files. Sequences that fail
  /// to load (NaN/Inf, unreadable) are skipped, as the reference skips them, and counted in `skipped`.
  public func corpus(indices: [Int]? = nil, threads: Int? = nil) -> (symbols: [UInt8], skipped: [String]) {
    let indices = indices ?? Array(0..<count)
    var symbols: [UInt8] = []
    var skipped: [String] = []
    let block = 256
    for blockStart in stride(from: 0, to: indices.count, by: block) {
      let slice = Array(indices[blockStart..<min(blockStart + block, indices.count)])
      let results = parallelMap(slice.count, threads: threads) { position in
        Result { try self.symbols(at: slice[position]) }
      }
      for (position, result) in results.enumerated() {
        switch result {
        case .success(let sequence): symbols.append(contentsOf: sequence)
        case .failure(let error): skipped.append("sequence \(slice[position]): \(error)")
        }
      }
    }
    return (symbols, skipped)
  }
}
