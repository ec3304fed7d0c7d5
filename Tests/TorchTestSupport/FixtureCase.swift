import Foundation
import TestSupport
import Testing
import Torch

/// One case of the reference fixture folder: `<case>.json` with its `<case>.safetensors`.
public struct FixtureCase: CustomStringConvertible {
  public let name: String
  public let json: [String: Any]
  public let tensors: StateDict

  public init(name: String, json: [String: Any], tensors: StateDict) {
    self.name = name
    self.json = json
    self.tensors = tensors
  }

  public var description: String { name }

  /// `|got − want| <= abs + rel·|want|` bounds from the case's `tolerance`.
  public var tolerance: (abs: Double, rel: Double) {
    let t = json["tolerance"] as? [String: Double] ?? [:]
    return (t["abs"] ?? 1e-5, t["rel"] ?? 1e-4)
  }

  public var config: [String: Any] { json["config"] as? [String: Any] ?? [:] }

  /// Tensors under `prefix/`, with the prefix removed.
  public func group(_ prefix: String) -> StateDict { tensors.stripping(prefix: prefix + "/") }

  /// The folder of fixtures: `ECG_REFERENCE_DIR`, else `../shared/reference` beside the package.
  public static var referenceDirectory: URL { SharedFixtures.referenceDirectory }

  /// The case `name` of `folder` in the fixture directory.
  public static func load(_ folder: String, _ name: String) throws -> FixtureCase {
    let url = referenceDirectory.appendingPathComponent(folder).appendingPathComponent(name + ".json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    let tensors = try StateDict(safetensorsAt: url.deletingPathExtension().appendingPathExtension("safetensors"))
    return FixtureCase(name: name, json: json, tensors: tensors)
  }
}

/// Names of the cases in a fixture folder, for parameterised tests (empty when the folder is missing,
/// which the folder-level test reports).
public func fixtureNames(_ folder: String) -> [String] {
  let directory = FixtureCase.referenceDirectory.appendingPathComponent(folder)
  let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
  return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
}

public struct FixtureError: Error, CustomStringConvertible {
  public let message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}

/// Records an issue unless `got` has `want`'s shape and every element is within the case's tolerance
/// (`|got − want| <= abs + rel·|want|`); names the first element out of bounds.
public func expectFixtureClose(
  _ got: Tensor, _ want: Tensor, _ fixture: FixtureCase, _ what: String,
  tolerance: (abs: Double, rel: Double)? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    got.shape == want.shape, "\(fixture.name) \(what): shape \(got.shape) vs \(want.shape)",
    sourceLocation: sourceLocation)
  guard got.shape == want.shape else { return }
  let (a, r) = tolerance ?? fixture.tolerance
  let g = got.doubles()
  let w = want.doubles()
  if let i = w.indices.first(where: { !(Swift.abs(g[$0] - w[$0]) <= a + r * Swift.abs(w[$0])) }) {
    Issue.record("\(fixture.name) \(what)[\(i)]: got \(g[i]), want \(w[i])", sourceLocation: sourceLocation)
  }
}
