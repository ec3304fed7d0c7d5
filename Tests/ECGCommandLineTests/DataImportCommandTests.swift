import ECGData
import Foundation
import Testing

@testable import ECGCommandLine

/// `ecg data import` on a reference folder of two MIMIC-IV windows.
@Suite struct DataImportCommandTests {
  /// `np.save` of the reference's window dict (4 samples; channel c, sample t holds 10·c + t).
  static let window = Data(
    base64Encoded:
      "k05VTVBZAQB2AHsnZGVzY3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqABJXvAgAAAAAAAIwWbnVtcHkuX2NvcmUubXVsdGlhcnJheZSMDF9yZWNvbnN0cnVjdJSTlIwFbnVtcHmUjAduZGFycmF5lJOUSwCFlEMBYpSHlFKUKEsBKWgDjAVkdHlwZZSTlIwCTziUiYiHlFKUKEsDjAF8lE5OTkr/////Sv////9LP3SUYoldlH2UKIwDZWNnlGgCaAVLAIWUaAeHlFKUKEsBSwxLBIaUaAuMAmY4lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKIQoABAAAAAAAAAAAAAAAAAAAAACRAAAAAAAAANEAAAAAAAAA+QAAAAAAAAERAAAAAAAAASUAAAAAAAABOQAAAAAAAgFFAAAAAAAAAVEAAAAAAAIBWQAAAAAAAAFlAAAAAAACAW0AAAAAAAADwPwAAAAAAACZAAAAAAAAANUAAAAAAAAA/QAAAAAAAgERAAAAAAACASUAAAAAAAIBOQAAAAAAAwFFAAAAAAABAVEAAAAAAAMBWQAAAAAAAQFlAAAAAAADAW0AAAAAAAAAAQAAAAAAAAChAAAAAAAAANkAAAAAAAABAQAAAAAAAAEVAAAAAAAAASkAAAAAAAABPQAAAAAAAAFJAAAAAAACAVEAAAAAAAABXQAAAAAAAgFlAAAAAAAAAXEAAAAAAAAAIQAAAAAAAACpAAAAAAAAAN0AAAAAAAIBAQAAAAAAAgEVAAAAAAACASkAAAAAAAIBPQAAAAAAAQFJAAAAAAADAVEAAAAAAAEBXQAAAAAAAwFlAAAAAAABAXECUdJRijAZyZXBvcnSUjAxzaW51cyByaHl0aG2UjAhlY2dfcGF0aJSMNC9kYXRhL21pbWljL2ZpbGVzL3AxMDAwL3AxMDAwMDAzMi9zNDA2ODkyMzgvNDA2ODkyMziUjAtvcmlnaW5hbF9zZpRN9AGMCXRhcmdldF9zZpRL+owLc2VnbWVudF9sZW6USwSMCG5weV9wYXRolIwBeJR1YXSUYi4="
  )!

  @Test func importsAndFixesLeadOrder() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("mimic_iv/preprocessed_4")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for s in 0..<2 { try Self.window.write(to: folder.appendingPathComponent("files_p1000_p10000032_s1_1_\(s).npy")) }
    let out = root.appendingPathComponent("store").path
    let command = try DataImportCommand.parse([
      "--reference-dir", root.path, "--name", "mimic_iv", "--out", out, "--segment-len", "4", "--quiet",
    ])
    try await command.run()
    let store = try DatasetStore(path: out)
    #expect(store.count == 2)
    #expect(store.manifest.splitPolicy == "reference-files")
    #expect(Array(store.window(at: 0)[12..<20]) == [40, 41, 42, 43, 30, 31, 32, 33])
  }

  @Test func missingFolderIsAClearError() async throws {
    let command = try DataImportCommand.parse([
      "--reference-dir", "/nonexistent", "--name", "ptb_xl", "--out", "/tmp/never",
    ])
    await #expect(throws: CommandError.self) { try await command.run() }
  }
}
