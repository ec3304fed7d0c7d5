import TensorFormats

// libFuzzer target: PyTorch checkpoints (`torch.save` ZIP archives holding a pickle). Built by Fuzz/build.sh.

/// Opens the input as a checkpoint without CRC checks (so mutations reach the pickle) and lists its tensors.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTorchCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let buffer = ByteBuffer(copying: UnsafeBufferPointer(start: data, count: size))
  guard let checkpoint = try? TorchCheckpoint(buffer: buffer, verifyChecksums: false) else { return 0 }
  for (_, tensor) in checkpoint.root.tensorsByPath() {
    tensor.withContiguousBytes { bytes in _ = bytes.reduce(0, &+) }
  }
  return 0
}
