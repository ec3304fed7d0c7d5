import Foundation

/// Paths of the shared fixtures, resolved from the package root so tests run from any folder.
enum Fixtures {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `../shared/data` next to the package.
  static let data = packageRoot.appendingPathComponent("../shared/data").standardizedFileURL

  /// `ECG_REFERENCE_DIR` or `../shared/reference`.
  static let reference: URL = {
    if let dir = ProcessInfo.processInfo.environment["ECG_REFERENCE_DIR"] {
      return URL(fileURLWithPath: dir, relativeTo: packageRoot).standardizedFileURL
    }
    return packageRoot.appendingPathComponent("../shared/reference").standardizedFileURL
  }()

  static let wfdb = data.appendingPathComponent("wfdb")

  static func json(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }

  /// A fresh temporary folder, removed by the caller.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ecgdata-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
