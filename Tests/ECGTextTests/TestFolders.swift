import Foundation
import TestSupport

/// Scratch folders for tests that write model folders; the caller removes them.
enum TestFolders {
  static func make(_ prefix: String) throws -> URL {
    try SharedFixtures.temporaryDirectory(prefix: "ecgtext-\(prefix)")
  }
}
