import ECGData
import Foundation
import TestSupport
import Testing

@testable import ECGCommandLine

private let wfdbFolder = SharedFixtures.dataDirectory.appendingPathComponent("wfdb")

/// `ecg record export` and `show` against the WFDB reference reader's values.
@Suite struct DataRecordCommandTests {
  @Test(arguments: ExpectedRecord.all())
  func jsonExportMatchesExpected(_ expected: ExpectedRecord) throws {
    let record = try WFDBRecord(contentsOf: wfdbFolder.appendingPathComponent(expected.record).path)
    let text = RecordExportCommand.json(record)
    let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    let signals = json["signals"] as! [[String: Any]]
    #expect(signals.count == expected.signals.count)
    for (got, want) in zip(signals, expected.signals) {
      #expect(got["name"] as? String == want.name)
      #expect(got["fmt"] as? String == want.fmt)
      let digital = (got["digital"] as! [NSNumber]).map(\.int64Value)
      #expect(digital.count == want.digital.count)
      #expect(digital.reduce(0, &+) == want.digital.sum)
      #expect(Array(digital.prefix(want.digital.first.count)) == want.digital.first)
      #expect(Array(digital.suffix(want.digital.last.count)) == want.digital.last)
      let physical = (got["physical"] as! [NSNumber]).map(\.doubleValue)
      #expect(physical.count == want.physical_smoothed.count)
      let mean = physical.reduce(0, +) / Double(physical.count)
      #expect(abs(mean - want.physical_smoothed.mean) <= 1e-9 * abs(want.physical_smoothed.mean))
    }
  }

  @Test func csvExportHasNamesAndOneRowPerFrame() throws {
    let record = try WFDBRecord(contentsOf: wfdbFolder.appendingPathComponent("test01_00s").path)
    let lines = RecordExportCommand.csv(record).split(separator: "\n")
    #expect(lines.count == 4001)
    #expect(lines[0] == "ECG 1,ECG 2,ECG 3,ECG 4")
    #expect(lines[1] == "0.1,-0.08,-0.57,-0.66")
  }

  @Test func csvAveragesSamplesWithinAFrame() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try WFDBWriter.write(
      name: "spf", folder: folder, samplingFrequency: 100,
      signals: [
        WFDBWriter.Signal(name: "fast", gain: 10, samplesPerFrame: 2, digital: [10, 20, 30, 40]),
        WFDBWriter.Signal(name: "slow, quoted", gain: 10, digital: [5, -32768]),
      ])
    let record = try WFDBRecord(contentsOf: folder.appendingPathComponent("spf").path)
    #expect(RecordExportCommand.csv(record) == "fast,\"slow, quoted\"\n1.5,0.5\n3.5,\n")
    let json = RecordExportCommand.json(record)
    #expect(json.contains("\"digital\": [10,20,30,40]"))
    #expect(json.contains("\"physical\": [0.5,null]"))
  }

  @Test func showSummarisesTheHeader() throws {
    let header = try WFDBRecord(contentsOf: wfdbFolder.appendingPathComponent("100").path).header
    let text = RecordShowCommand.text(header)
    #expect(text.contains("rate       360 Hz"))
    #expect(text.contains("MLII"))
    let json = try JSONSerialization.jsonObject(with: Data(RecordShowCommand.json(header).utf8)) as! [String: Any]
    #expect(json["n_frames"] as? Int == 650_000)
    #expect((json["signals"] as! [[String: Any]]).first?["fmt"] as? String == "212")
  }

  @Test func missingRecordIsAClearError() throws {
    let command = try RecordShowCommand.parse(["/nonexistent/record"])
    #expect(throws: CommandError.self) { try command.run() }
  }
}
