import Foundation
import TestSupport

/// Where the shared fixtures live (see `SharedFixtures`).
enum Fixtures {
  static var reference: URL { SharedFixtures.referenceDirectory }
  static var data: URL { SharedFixtures.dataDirectory }
}
