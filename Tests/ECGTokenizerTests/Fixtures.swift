import Foundation

/// Where the shared fixtures live: `ECG_REFERENCE_DIR`, else `../shared/reference` next to the package root.
enum Fixtures {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var reference: URL {
    if let directory = ProcessInfo.processInfo.environment["ECG_REFERENCE_DIR"], !directory.isEmpty {
      return URL(fileURLWithPath: directory, relativeTo: packageRoot).standardizedFileURL
    }
    return packageRoot.appendingPathComponent("../shared/reference").standardizedFileURL
  }

  static var referenceTokenizerPath: String {
    packageRoot.appendingPathComponent("../shared/data/tokenizers/ecg_byte_tokenizer_10000.pkl").standardizedFileURL.path
  }

  /// Every tokenizer case file (`tokenizer/*.json`).
  static var tokenizerCases: [URL] {
    let folder = reference.appendingPathComponent("tokenizer")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
  }

  /// A fresh temporary directory for a test.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-tokenizer-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
