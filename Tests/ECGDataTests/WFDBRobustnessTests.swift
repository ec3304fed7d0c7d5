import Foundation
import Testing

@testable import ECGData

/// Damaged records are thrown errors, never crashes: deterministic mutations of the shared records.
@Suite struct WFDBRobustnessTests {
  struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(max(1, bound)))
    }
  }

  @Test(arguments: ["100", "binformats", "test01_00s"])
  func mutatedRecordsNeverCrash(_ name: String) throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let header = try String(contentsOf: Fixtures.wfdb.appendingPathComponent(name + ".hea"), encoding: .utf8)
    let parsed = try WFDBHeader(parsing: header)
    let dataFiles = Set(parsed.signals.map(\.fileName))
    var random = Generator(state: UInt64(name.utf8.count))
    let headerBytes = Array(header.utf8)
    for trial in 0..<60 {
      var mutated = headerBytes
      switch trial % 3 {
      case 0:
        for _ in 0..<3 { mutated[random.next(mutated.count)] = UInt8(random.next(128)) }
      case 1:
        mutated = Array(mutated.prefix(random.next(mutated.count)))
      default:
        let edits = ["x999999", ":-5", "+99999999", " 99999999999999", "x0", ":3", "+7"]
        let at = random.next(mutated.count)
        mutated.insert(contentsOf: Array(edits[random.next(edits.count)].utf8), at: at)
      }
      try Data(mutated).write(to: folder.appendingPathComponent(name + ".hea"))
      for file in dataFiles {
        var bytes = try Data(contentsOf: Fixtures.wfdb.appendingPathComponent(file))
        if trial % 4 == 0 { bytes = bytes.prefix(random.next(bytes.count)) }
        try bytes.write(to: folder.appendingPathComponent(file))
      }
      do {
        let record = try WFDBRecord(contentsOf: folder.appendingPathComponent(name).path)
        for index in record.header.signals.indices { _ = record.physical(index) }
      } catch is WFDBError {
        // Expected for most mutations.
      }
    }
  }
}
