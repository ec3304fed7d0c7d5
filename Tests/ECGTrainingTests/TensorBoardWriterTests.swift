import Foundation
import TestSupport
import Testing

@testable import ECGTraining

/// Reads the event file back with an independent decoder: TFRecord framing with bitwise CRC-32C, then the
/// protobuf fields of `Event`, `Summary` and `Summary.Value`.
@Suite struct TensorBoardWriterTests {
  /// Bit-by-bit CRC-32C (Castagnoli), independent of the writer's table.
  static func crc32c(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
  }

  static func masked(_ bytes: [UInt8]) -> UInt32 {
    let crc = crc32c(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }

  static func littleEndian<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, as: T.Type) -> T {
    bytes.reversed().reduce(T(0)) { $0 << 8 | T($1) }
  }

  /// Protobuf fields as (number, wire type, payload bytes or varint value).
  static func fields(_ bytes: [UInt8]) -> [(number: Int, wire: Int, data: [UInt8], varint: UInt64)] {
    var result: [(Int, Int, [UInt8], UInt64)] = []
    var i = 0
    func varint() -> UInt64 {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        let byte = bytes[i]
        i += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
    }
    while i < bytes.count {
      let key = varint()
      let (number, wire) = (Int(key >> 3), Int(key & 7))
      switch wire {
      case 0: result.append((number, wire, [], varint()))
      case 1:
        result.append((number, wire, Array(bytes[i..<i + 8]), 0))
        i += 8
      case 5:
        result.append((number, wire, Array(bytes[i..<i + 4]), 0))
        i += 4
      default:
        let length = Int(varint())
        result.append((number, wire, Array(bytes[i..<i + length]), 0))
        i += length
      }
    }
    return result
  }

  @Test func crc32cMatchesTheCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(Self.crc32c(Array("123456789".utf8)) == 0xE306_9283)
  }

  @Test func eventFileParsesBackWithFramingAndFields() throws {
    let folder = try SharedFixtures.temporaryDirectory(prefix: "tb")
    defer { try? FileManager.default.removeItem(at: folder) }
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let writer = try TensorBoardWriter(directory: folder, now: start)
    try writer.add(scalars: [("train/loss", 0.5), ("train/lr", 3e-4)], step: 10, wallTime: start + 1)
    try writer.add(scalars: [("train/loss", 0.25)], step: 300, wallTime: start + 2)
    #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents.1700000000."))

    let bytes = [UInt8](try Data(contentsOf: writer.url))
    var records: [[UInt8]] = []
    var offset = 0
    while offset < bytes.count {
      let lengthBytes = Array(bytes[offset..<offset + 8])
      let length = Int(Self.littleEndian(bytes[offset..<offset + 8], as: UInt64.self))
      #expect(Self.littleEndian(bytes[offset + 8..<offset + 12], as: UInt32.self) == Self.masked(lengthBytes))
      let data = Array(bytes[offset + 12..<offset + 12 + length])
      let crc = Self.littleEndian(bytes[offset + 12 + length..<offset + 16 + length], as: UInt32.self)
      #expect(crc == Self.masked(data))
      records.append(data)
      offset += 16 + length
    }
    #expect(offset == bytes.count && records.count == 3)

    let header = Self.fields(records[0])
    #expect(header.map(\.number) == [1, 3])
    #expect(Double(bitPattern: Self.littleEndian(header[0].data[...], as: UInt64.self)) == 1_700_000_000)
    #expect(String(decoding: header[1].data, as: UTF8.self) == "brain.Event:2")

    let event = Self.fields(records[1])
    #expect(event.map(\.number) == [1, 2, 5])
    #expect(Double(bitPattern: Self.littleEndian(event[0].data[...], as: UInt64.self)) == 1_700_000_001)
    #expect(event[1].varint == 10)
    let values = Self.fields(event[2].data)
    #expect(values.map(\.number) == [1, 1])
    let first = Self.fields(values[0].data)
    #expect(String(decoding: first[0].data, as: UTF8.self) == "train/loss")
    #expect(first[1].number == 2 && first[1].wire == 5)
    #expect(Float(bitPattern: Self.littleEndian(first[1].data[...], as: UInt32.self)) == 0.5)
    let second = Self.fields(values[1].data)
    #expect(Float(bitPattern: Self.littleEndian(second[1].data[...], as: UInt32.self)) == Float(3e-4))
    #expect(Self.fields(records[2])[1].varint == 300)
  }

  @Test func metricsLogDropsRecordsAfterTheResumedStep() throws {
    let folder = try SharedFixtures.temporaryDirectory(prefix: "metrics")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("metrics.jsonl")
    do {
      let log = try MetricsLog(url: url)
      for step in 1...5 {
        try log.append(
          StepMetrics(
            step: step, epoch: 0, loss: 1, learningRate: 1e-3, gradientNorm: 1, samplesPerSecond: 10,
            wallSeconds: Double(step)))
      }
    }
    let resumed = try MetricsLog(url: url, keepingRecordsThrough: 3)
    try resumed.append(
      StepMetrics(
        step: 4, epoch: 0, loss: 0.5, learningRate: 1e-3, gradientNorm: 1, samplesPerSecond: 10, wallSeconds: 4))
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[0] == #"{"epoch":0,"grad_norm":1,"loss":1,"lr":0.001,"samples_per_s":10,"step":1,"wall_s":1}"#)
    #expect(lines[3].contains(#""loss":0.5"#))
  }
}
