// libFuzzer target: WFDB header text (`.hea`). Built by Fuzz/build.sh together with Sources/ECGData/WFDB.

/// Parses the input as header text; any thrown error is a clean rejection, a trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWFDBHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = try? WFDBHeader(parsing: text)
  return 0
}
