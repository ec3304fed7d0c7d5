import Foundation
import TensorFormats
import Testing

/// Proves files we write load in Python's `safetensors`; skipped when python3 or the package is
/// missing, so the suite never needs Python.
@Suite struct PythonInteropTests {
  static let script = """
    import json, sys
    from safetensors import deserialize
    data = open(sys.argv[1], "rb").read()
    print(json.dumps({name: [t["dtype"], t["shape"], bytes(t["data"]).hex()] for name, t in deserialize(data)}))
    """

  static func python(_ arguments: [String]) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }

  static let pythonHasSafeTensors = python(["-c", "import safetensors"])?.status == 0

  @Test(.enabled(if: pythonHasSafeTensors, "python3 with the safetensors package is not available"))
  func pythonSafeTensorsLoadsOurFiles() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tensors = try SafeTensorsRoundTripTests.sampleTensors()
    var writer = SafeTensorsWriter(metadata: ["format": "pt"])
    for (name, tensor) in tensors { try writer.add(tensor, named: name) }
    let url = folder.appendingPathComponent("interop.safetensors")
    try writer.write(to: url)

    let result = try #require(Self.python(["-c", Self.script, url.path]))
    #expect(result.status == 0)
    let loaded = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [Any]])
    #expect(Set(loaded.keys) == Set(tensors.keys))
    for (name, tensor) in tensors {
      let entry = try #require(loaded[name])
      #expect(entry[0] as? String == tensor.dtype.rawValue, "\(name)")
      #expect(entry[1] as? [Int] == tensor.shape, "\(name)")
      let hex = tensor.contiguousBytes().map { String(format: "%02x", $0) }.joined()
      #expect(entry[2] as? String == hex, "\(name)")
    }
  }
}
