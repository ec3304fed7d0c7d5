import Foundation
import Testing
import Torch
import TorchTestSupport

/// `randn(like:)` / `rand(like:)` keep the source's strides, as PyTorch's `randn_like` does (models.md §1.6):
/// every recorded first draw of a model fixture that is a `*_like` on a strided view is redrawn from the case's
/// seed on a view with the same shape and strides, and must equal PyTorch's values exactly.
@Suite struct StridedDrawTests {
  struct LikeDraw: CustomStringConvertible {
    let folder: String
    let name: String
    let op: String
    let shape: [Int]
    let stride: [Int]
    var description: String { "\(folder)/\(name)" }
  }

  /// First draws of the model cases that are `torch.randn_like`/`torch.rand_like` on a non-contiguous view.
  static func cases() -> [LikeDraw] {
    let models = FixtureCase.referenceDirectory.appendingPathComponent("models")
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
    var found: [LikeDraw] = []
    for folder in folders.sorted() {
      for name in fixtureNames("models/\(folder)") {
        let url = models.appendingPathComponent(folder).appendingPathComponent(name + ".json")
        guard let data = try? Data(contentsOf: url),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let first = (json["draws"] as? [[String: Any]])?.first,
          let op = first["op"] as? String, op == "torch.randn_like" || op == "torch.rand_like",
          let shape = first["shape"] as? [Int], let stride = first["stride"] as? [Int],
          stride != contiguousStrides(shape)
        else { continue }
        found.append(LikeDraw(folder: "models/\(folder)", name: name, op: op, shape: shape, stride: stride))
      }
    }
    return found
  }

  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
    return strides
  }

  @Test func fixturesHoldAStridedDraw() {
    #expect(!Self.cases().isEmpty, "no model fixture draws randn_like on a strided view")
  }

  /// libtorch's default generator is process-wide, so each draw is checked in a child process of its own.
  @Test(arguments: cases())
  func drawMatchesPyTorch(_ draw: LikeDraw) async {
    await #expect(processExitsWith: .success, "\(draw): the strided draw differs from PyTorch's") {
      [folder = draw.folder as String, name = draw.name as String] in
      let fixture = try FixtureCase.load(folder, name)
      guard let first = (fixture.json["draws"] as? [[String: Any]])?.first, let op = first["op"] as? String,
        let shape = first["shape"] as? [Int], let stride = first["stride"] as? [Int],
        let want = fixture.tensors["draw/0"]
      else { preconditionFailure("\(name): no first draw") }
      // A view with the recorded strides: permute a contiguous tensor laid out in stride order.
      let order = stride.indices.sorted { stride[$0] > stride[$1] }
      let view = Tensor.zeros(order.map { shape[$0] }).permute(shape.indices.map { order.firstIndex(of: $0)! })
      precondition(view.shape == shape && view.strides == stride, "could not build the strided view")
      Torch.manualSeed(UInt64(fixture.json["seed"] as? Int ?? 0))
      let got = op == "torch.randn_like" ? Tensor.randn(like: view) : Tensor.rand(like: view)
      precondition(got.floats() == want.floats(), "values differ")
    }
  }
}
