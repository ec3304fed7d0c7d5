import Foundation
import TestSupport

/// Locations of the shared reference fixtures, read in place.
enum Fixtures {
  /// `ECG_REFERENCE_DIR`, or `../shared/reference` next to the package root.
  static let referenceDirectory = SharedFixtures.referenceDirectory

  static let formats = referenceDirectory.appendingPathComponent("formats", isDirectory: true)

  /// `formats/expected.json`. (JSONDecoder, because JSONSerialization on Linux misreads some doubles.)
  static func expected() throws -> ExpectedFormats {
    try JSONDecoder().decode(
      ExpectedFormats.self, from: Data(contentsOf: formats.appendingPathComponent("expected.json")))
  }

  /// A fresh empty folder under the system temporary folder.
  static func temporaryDirectory() throws -> URL {
    try SharedFixtures.temporaryDirectory(prefix: "TensorFormatsTests")
  }
}

/// The contents of `formats/expected.json`.
struct ExpectedFormats: Decodable {
  struct Checkpoint: Decodable {
    let epoch: Int
    let step: Int
    let keys: [String]
  }

  let safetensorsMetadata: [String: String]
  let tensors: [String: ExpectedTensor]
  let checkpoint: Checkpoint

  enum CodingKeys: String, CodingKey {
    case safetensorsMetadata = "safetensors_metadata"
    case tensors, checkpoint
  }

  /// Every tensor entry with its name, sorted by name.
  var namedTensors: [(name: String, tensor: ExpectedTensor)] {
    tensors.keys.sorted().map { ($0, tensors[$0]!) }
  }
}
