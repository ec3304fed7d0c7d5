import Foundation
import TensorFormats

/// A file `ecg checkpoint` can open: a safetensors file or a `torch.save` checkpoint, told apart by
/// content (a ZIP or pickle signature means PyTorch), not by extension.
enum CheckpointFile {
  case safeTensors(SafeTensorsFile)
  case torch(TorchCheckpoint)

  init(path: String) throws {
    let url = URL(fileURLWithPath: path)
    let buffer = try ByteBuffer(mapping: url)
    let isTorch = buffer.withUnsafeBytes(in: 0..<min(buffer.count, 4)) { head in
      head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.first == 0x80
    }
    if isTorch {
      self = .torch(try TorchCheckpoint(buffer: buffer, path: url.path))
    } else {
      self = .safeTensors(try SafeTensorsFile(buffer: buffer, path: url.path))
    }
  }
}
