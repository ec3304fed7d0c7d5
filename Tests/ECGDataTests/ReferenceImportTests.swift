import Foundation
import Testing

@testable import ECGData

/// Reading and importing the reference's preprocessed `.npy` folders.
@Suite struct ReferenceImportTests {
  /// `np.save` of the reference's dict for a 4-sample window whose channel c, sample t holds 10·c + t
  /// (made with NumPy 2: `{'ecg': x.T, 'report': 'sinus rhythm', 'ecg_path': ..., 'original_sf': 500, ...}`).
  static let window = Data(
    base64Encoded:
      "k05VTVBZAQB2AHsnZGVzY3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqABJXvAgAAAAAAAIwWbnVtcHkuX2NvcmUubXVsdGlhcnJheZSMDF9yZWNvbnN0cnVjdJSTlIwFbnVtcHmUjAduZGFycmF5lJOUSwCFlEMBYpSHlFKUKEsBKWgDjAVkdHlwZZSTlIwCTziUiYiHlFKUKEsDjAF8lE5OTkr/////Sv////9LP3SUYoldlH2UKIwDZWNnlGgCaAVLAIWUaAeHlFKUKEsBSwxLBIaUaAuMAmY4lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKIQoABAAAAAAAAAAAAAAAAAAAAACRAAAAAAAAANEAAAAAAAAA+QAAAAAAAAERAAAAAAAAASUAAAAAAAABOQAAAAAAAgFFAAAAAAAAAVEAAAAAAAIBWQAAAAAAAAFlAAAAAAACAW0AAAAAAAADwPwAAAAAAACZAAAAAAAAANUAAAAAAAAA/QAAAAAAAgERAAAAAAACASUAAAAAAAIBOQAAAAAAAwFFAAAAAAABAVEAAAAAAAMBWQAAAAAAAQFlAAAAAAADAW0AAAAAAAAAAQAAAAAAAAChAAAAAAAAANkAAAAAAAABAQAAAAAAAAEVAAAAAAAAASkAAAAAAAABPQAAAAAAAAFJAAAAAAACAVEAAAAAAAABXQAAAAAAAgFlAAAAAAAAAXEAAAAAAAAAIQAAAAAAAACpAAAAAAAAAN0AAAAAAAIBAQAAAAAAAgEVAAAAAAACASkAAAAAAAIBPQAAAAAAAQFJAAAAAAADAVEAAAAAAAEBXQAAAAAAAwFlAAAAAAABAXECUdJRijAZyZXBvcnSUjAxzaW51cyByaHl0aG2UjAhlY2dfcGF0aJSMNC9kYXRhL21pbWljL2ZpbGVzL3AxMDAwL3AxMDAwMDAzMi9zNDA2ODkyMzgvNDA2ODkyMziUjAtvcmlnaW5hbF9zZpRN9AGMCXRhcmdldF9zZpRL+owLc2VnbWVudF9sZW6USwSMCG5weV9wYXRolIwBeJR1YXSUYi4="
  )!

  static func folder(name: String) throws -> URL {
    let root = try Fixtures.temporaryFolder()
    let folder = root.appendingPathComponent("\(name)/preprocessed_4")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try window.write(to: folder.appendingPathComponent("files_p1000_p10000032_s40689238_40689238_0.npy"))
    try window.write(to: folder.appendingPathComponent("files_p1000_p10000032_s40689238_40689238_1.npy"))
    return root
  }

  @Test func readsWindowWithTheSafeUnpickler() throws {
    let root = try Self.folder(name: "mimic_iv")
    defer { try? FileManager.default.removeItem(at: root) }
    let window = try ReferenceWindow(
      contentsOf: root.appendingPathComponent("mimic_iv/preprocessed_4/files_p1000_p10000032_s40689238_40689238_0.npy")
        .path)
    #expect(window.ecg.count == 12)
    #expect(window.ecg[3] == [30, 31, 32, 33])
    #expect(window.report == "sinus rhythm")
    #expect(window.originalRate == 500)
  }

  @Test(arguments: [false, true])
  func importFixesMIMICLeadOrder(keep: Bool) async throws {
    let root = try Self.folder(name: "mimic_iv")
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ReferenceFolderSource(dataDirectory: root, name: "mimic_iv", segmentLength: 4, keepLeadOrder: keep)
    var options = PreprocessOptions()
    options.segmentLength = 4
    options.splitPolicy = .referenceFiles
    let out = root.appendingPathComponent("store")
    let manifest = try await Preprocessor.run(source: source, output: out, options: options, createdBy: "test")
    #expect(manifest.windowCount == 2)
    let store = try DatasetStore(url: out)
    let values = store.window(at: 1)
    // Stored channel 3 is aVL and 4 is aVR in the reference's MIMIC-IV folders.
    #expect(Array(values[(3 * 4)..<(4 * 4)]) == (keep ? [30, 31, 32, 33] : [40, 41, 42, 43]))
    let metadata = try store.metadata(at: 1)
    #expect(metadata.window == 1)
    #expect(metadata.patientID == "10000032")
    #expect(metadata.report == "sinus rhythm")
    #expect(metadata.originalRate == 500)
    #expect(metadata.source == "mimic_iv")
    #expect(metadata.path == "/data/mimic/files/p1000/p10000032/s40689238/40689238")
  }

  @Test func unknownNameIsRejected() {
    #expect(throws: DataSourceError.self) {
      try ReferenceFolderSource(dataDirectory: URL(fileURLWithPath: "/tmp"), name: "batch9", segmentLength: 4)
    }
  }
}
