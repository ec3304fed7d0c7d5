import TensorFormats

// libFuzzer target: safetensors files. Built by Fuzz/build.sh.

/// Opens the input as a safetensors file and, when it is accepted, reads every tensor's bytes and writes the file
/// back: the rewrite must open again with the same names and metadata.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let buffer = ByteBuffer(copying: UnsafeBufferPointer(start: data, count: size))
  guard let file = try? SafeTensorsFile(buffer: buffer) else { return 0 }
  var writer = SafeTensorsWriter(metadata: file.metadata)
  for (name, tensor) in file.orderedTensors {
    tensor.withContiguousBytes { bytes in _ = bytes.reduce(0, &+) }
    try! writer.add(tensor, named: name)
  }
  let again = try! SafeTensorsFile(buffer: ByteBuffer(copying: writer.serialized()))
  precondition(Set(again.names) == Set(file.names), "rewritten file has other tensors")
  precondition(again.metadata == file.metadata, "rewritten file has other metadata")
  return 0
}
