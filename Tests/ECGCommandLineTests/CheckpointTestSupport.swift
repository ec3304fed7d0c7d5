import Foundation

/// The shared fixtures in `ECG_REFERENCE_DIR` (default `../shared/reference` beside the package).
enum CheckpointFixtures {
  static let formats: URL = {
    let reference: URL
    if let path = ProcessInfo.processInfo.environment["ECG_REFERENCE_DIR"], !path.isEmpty {
      reference = URL(fileURLWithPath: path, isDirectory: true)
    } else {
      let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
      reference = root.appendingPathComponent("../shared/reference", isDirectory: true).standardizedFileURL
    }
    return reference.appendingPathComponent("formats", isDirectory: true)
  }()

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
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ECGCommandLineTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
