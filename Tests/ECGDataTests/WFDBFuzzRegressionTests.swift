import Foundation
import Testing

@testable import ECGData

/// Inputs the WFDB fuzz targets (Fuzz/Targets, docs/fuzzing.md) crashed on, kept as regression tests: each must
/// parse or throw a WFDBError, never trap.
@Suite struct WFDBFuzzRegressionTests {
  /// Header inputs, base64 (fuzz target WFDBHeader).
  static let headers = [
    // "rk1100 0 6\nr\0.at (x\0…": a record line announcing 0 signals trapped in a range (1...0).
    "cmsxMTAwIDAgNgpyAC5hdCAoeAAAAAAA"
  ]

  @Test(arguments: headers)
  func headerParsesOrThrows(_ base64: String) throws {
    let text = String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self)
    do {
      _ = try WFDBHeader(parsing: text)
    } catch is WFDBError {}
  }

  /// Record inputs, base64 (fuzz target WFDBRecord): header text, a NUL byte, then the bytes of every data file.
  static let records = [
    // "test01_00s 0 5060 1\n…" (shortened): 0 signals with signal lines after them.
    "dGVzdDAxXzAwcyAwIDUwNjAgMQp0ZXN0GTAxoc/Pgy5kYXQgMTYgMTAwL21WIDE2IDAgMTAgMTE0IDAgRUNHIDEKAAoA+P/H/77/"
  ]

  @Test(arguments: records)
  func recordDecodesOrThrows(_ base64: String) throws {
    let input = [UInt8](try #require(Data(base64Encoded: base64)))
    let split = input.firstIndex(of: 0) ?? input.count
    do {
      let header = try WFDBHeader(parsing: String(decoding: input[..<split], as: UTF8.self))
      let payload = Data(input[min(split + 1, input.count)...])
      let files = Dictionary(header.signals.map { ($0.fileName, payload) }, uniquingKeysWith: { first, _ in first })
      let record = try WFDBRecord(header: header, dataFiles: files)
      for index in record.header.signals.indices { _ = record.physical(index) }
    } catch is WFDBError {}
  }

  @Test func zeroSignalsIsALegalHeaderAndNegativeCountsAreRejected() throws {
    let header = try WFDBHeader(parsing: "z 0 500 5000\n")
    #expect(header.signals.isEmpty)
    #expect(try WFDBRecord(header: header, dataFiles: [:]).digital.isEmpty)
    #expect { try WFDBHeader(parsing: "z -3 500 5000\n") } throws: { ($0 as? WFDBError)?.kind == .badHeader }
  }

  @Test func malformedFieldsThrowInsteadOfTrapping() {
    for text in [
      "r 1 (5\nr.dat 16\n", "r 1 )(\nr.dat 16\n", "r 1 /\nr.dat 16\n", "r 1 (5)\nr.dat 16\n", "r 1 inf\nr.dat 16\n",
      "r 1 nan\nr.dat 16\n", "r 1 500\nr.dat 16 )(\n", "r 1 500\nr.dat 16 inf/mV\n", "r 1 500\nr.dat 16 nan(0)/mV\n",
    ] {
      #expect(throws: WFDBError.self, "\(text.debugDescription)") { try WFDBHeader(parsing: text) }
    }
  }
}
