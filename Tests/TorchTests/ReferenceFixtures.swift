import Foundation
import TestSupport
import Torch

/// One case of the reference fixture folder: `<case>.json` with its `<case>.safetensors`.
struct FixtureCase: CustomStringConvertible {
  let name: String
  let json: [String: Any]
  let tensors: StateDict

  var description: String { name }

  /// `|got − want| <= abs + rel·|want|` bounds from the case's `tolerance`.
  var tolerance: (abs: Double, rel: Double) {
    let t = json["tolerance"] as? [String: Double] ?? [:]
    return (t["abs"] ?? 1e-5, t["rel"] ?? 1e-4)
  }

  var config: [String: Any] { json["config"] as? [String: Any] ?? [:] }

  /// Tensors under `prefix/`, with the prefix removed.
  func group(_ prefix: String) -> StateDict { tensors.stripping(prefix: prefix + "/") }

  /// The folder of fixtures: `ECG_REFERENCE_DIR`, else `../shared/reference` beside the package.
  static var referenceDirectory: URL { SharedFixtures.referenceDirectory }

  /// The case `name` of `folder` in the fixture directory.
  static func load(_ folder: String, _ name: String) throws -> FixtureCase {
    let url = referenceDirectory.appendingPathComponent(folder).appendingPathComponent(name + ".json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    let tensors = try StateDict(safetensorsAt: url.deletingPathExtension().appendingPathExtension("safetensors"))
    return FixtureCase(name: name, json: json, tensors: tensors)
  }
}

/// Names of the cases in a fixture folder, for parameterised tests (empty when the folder is missing,
/// which the folder-level test reports).
func fixtureNames(_ folder: String) -> [String] {
  let directory = FixtureCase.referenceDirectory.appendingPathComponent(folder)
  let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
  return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
}

struct FixtureError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
