import Foundation
import TestSupport

/// Where the shared fixtures live: `ECG_REFERENCE_DIR`, else `../shared/reference` next to the package root.
enum Fixtures {
  static var reference: URL { SharedFixtures.referenceDirectory }
  static var referenceTokenizerPath: String { SharedFixtures.referenceTokenizerPath }

  /// Every tokenizer case file (`tokenizer/*.json`).
  static var tokenizerCases: [URL] {
    let folder = reference.appendingPathComponent("tokenizer")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
  }

  /// A fresh temporary directory for a test.
  static func temporaryDirectory() throws -> URL {
    try SharedFixtures.temporaryDirectory(prefix: "ecg-tokenizer-tests")
  }
}
