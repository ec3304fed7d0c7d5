import Foundation

/// Where the shared fixtures live, for every test target: they are read in place, never copied.
public enum SharedFixtures {
  /// The package root (the folder holding Package.swift).
  public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `ECG_REFERENCE_DIR` (relative paths from the package root), else `../shared/reference` beside the package.
  public static var referenceDirectory: URL {
    if let path = ProcessInfo.processInfo.environment["ECG_REFERENCE_DIR"], !path.isEmpty {
      return URL(fileURLWithPath: path, isDirectory: true, relativeTo: packageRoot).standardizedFileURL
    }
    return packageRoot.appendingPathComponent("../shared/reference", isDirectory: true).standardizedFileURL
  }

  /// `../shared/data` beside the package (third-party records and the reference tokenizer).
  public static var dataDirectory: URL {
    packageRoot.appendingPathComponent("../shared/data", isDirectory: true).standardizedFileURL
  }

  /// The reference's ECG-Byte tokenizer pickle.
  public static var referenceTokenizerPath: String {
    dataDirectory.appendingPathComponent("tokenizers/ecg_byte_tokenizer_10000.pkl").path
  }

  /// A fresh empty folder under the system temporary folder; the caller removes it.
  public static func temporaryDirectory(prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
