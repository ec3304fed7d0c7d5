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

  static var data: URL { packageRoot.appendingPathComponent("../shared/data").standardizedFileURL }
}
