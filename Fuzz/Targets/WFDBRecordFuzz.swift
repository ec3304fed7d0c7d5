import Foundation

// libFuzzer target: a WFDB header and its signal data. Built by Fuzz/build.sh together with Sources/ECGData/WFDB.
//
// Input layout: header text, one NUL byte, then the data bytes; every data file the header names gets those bytes.

/// Decodes the record and converts every signal to physical units.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWFDBRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let input = UnsafeBufferPointer(start: data, count: size)
  let split = input.firstIndex(of: 0) ?? size
  let text = String(decoding: UnsafeBufferPointer(rebasing: input[0..<split]), as: UTF8.self)
  guard let header = try? WFDBHeader(parsing: text) else { return 0 }
  let payload = split < size ? Data(UnsafeBufferPointer(rebasing: input[(split + 1)...])) : Data()
  var files: [String: Data] = [:]
  for signal in header.signals { files[signal.fileName] = payload }
  guard let record = try? WFDBRecord(header: header, dataFiles: files) else { return 0 }
  for index in record.header.signals.indices {
    _ = record.physical(index)
  }
  return 0
}
