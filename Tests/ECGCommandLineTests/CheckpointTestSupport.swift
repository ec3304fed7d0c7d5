import Foundation
import TestSupport

/// The shared fixtures in `ECG_REFERENCE_DIR` (default `../shared/reference` beside the package).
enum CheckpointFixtures {
  static let formats = SharedFixtures.referenceDirectory.appendingPathComponent("formats", isDirectory: true)

  /// `expected.json`'s tensors: name → (dtype, shape, values).
  struct Expected: Decodable {
    struct Tensor: Decodable {
      let dtype: String
      let shape: [Int]
      let values: [Double]
    }

    let tensors: [String: Tensor]
  }

  static func expected() throws -> Expected {
    try JSONDecoder().decode(Expected.self, from: Data(contentsOf: formats.appendingPathComponent("expected.json")))
  }

  static func temporaryDirectory() throws -> URL {
    try SharedFixtures.temporaryDirectory(prefix: "ECGCommandLineTests")
  }
}
