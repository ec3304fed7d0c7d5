import Foundation
import TestSupport

/// Paths of the shared fixtures, resolved from the package root so tests run from any folder.
enum Fixtures {
  static let data = SharedFixtures.dataDirectory
  static let reference = SharedFixtures.referenceDirectory

  static let wfdb = data.appendingPathComponent("wfdb")

  static func json(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
  }

  /// A fresh temporary folder, removed by the caller.
  static func temporaryFolder() throws -> URL {
    try SharedFixtures.temporaryDirectory(prefix: "ecgdata-test")
  }
}
