import SafePickle

// libFuzzer target: `.npy` files, object arrays (pickles) included. Built by Fuzz/build.sh.

/// Reads the input as an `.npy` file with pickles allowed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? NPYFile.read(bytes, allowPickle: true)
  return 0
}
