import SafePickle

// libFuzzer target: the safe unpickler. Built by Fuzz/build.sh.

/// The widest whitelist SafePickle has: NumPy arrays, object arrays included (built once, not per input).
let unpickler = Unpickler(globals: .numpyWithObjectArrays)

/// Loads the input as a pickle.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUnpickler(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let value = try? unpickler.load(bytes) {
    _ = value.typeDescription
  }
  return 0
}
