/// Decodes a WFDB data stream into digital sample values.
enum WFDBDecoder {
  /// Decodes `count` samples of `format` from `bytes` (already past the byte offset).
  ///
  /// Format 8 stores first differences per signal, so one running value is kept per signal, starting from its
  /// `initialValues` entry; `slots` gives the signal of each position in the frame (a signal with several samples
  /// per frame fills several positions), as WFDB and wfdb-python do.
  static func decode(
    _ bytes: UnsafeRawBufferPointer, format: WFDBFormat, count: Int, slots: [Int], initialValues: [Int32]
  ) -> [Int32] {
    var out = [Int32](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { o in
      let b = bytes.bindMemory(to: UInt8.self)
      switch format {
      case .format16:
        for i in 0..<count { o[i] = Int32(Int16(bitPattern: UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8)) }
      case .format61:
        for i in 0..<count { o[i] = Int32(Int16(bitPattern: UInt16(b[2 * i]) << 8 | UInt16(b[2 * i + 1]))) }
      case .format160:
        for i in 0..<count { o[i] = Int32(UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8) - 32768 }
      case .format80:
        for i in 0..<count { o[i] = Int32(b[i]) - 128 }
      case .format24:
        for i in 0..<count {
          let u = UInt32(b[3 * i]) | UInt32(b[3 * i + 1]) << 8 | UInt32(b[3 * i + 2]) << 16
          o[i] = Int32(bitPattern: u << 8) >> 8
        }
      case .format32:
        for i in 0..<count {
          o[i] = Int32(
            bitPattern: UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8 | UInt32(b[4 * i + 2]) << 16
              | UInt32(b[4 * i + 3]) << 24)
        }
      case .format8:
        var running = initialValues
        for i in 0..<count {
          let k = slots[i % slots.count]
          running[k] &+= Int32(Int8(bitPattern: b[i]))
          o[i] = running[k]
        }
      case .format212:
        for i in 0..<count {
          let g = (i / 2) * 3
          let u: UInt32 =
            i % 2 == 0
            ? UInt32(b[g]) | UInt32(b[g + 1] & 0x0F) << 8
            : UInt32(b[g + 2]) | UInt32(b[g + 1] & 0xF0) << 4
          o[i] = Int32(bitPattern: u << 20) >> 20
        }
      case .format310:
        for i in 0..<count {
          let g = (i / 3) * 4
          let u: UInt32
          switch i % 3 {
          case 0: u = UInt32(b[g] >> 1) | UInt32(b[g + 1] & 0x07) << 7
          case 1: u = UInt32(b[g + 2] >> 1) | UInt32(b[g + 3] & 0x07) << 7
          default: u = UInt32(b[g + 1] >> 3) | UInt32(b[g + 3] >> 3) << 5
          }
          o[i] = Int32(bitPattern: u << 22) >> 22
        }
      case .format311:
        for i in 0..<count {
          let g = (i / 3) * 4
          let w = UInt32(b[g]) | UInt32(b[g + 1]) << 8 | UInt32(b[g + 2]) << 16 | UInt32(b[g + 3]) << 24
          let u = (w >> (10 * UInt32(i % 3))) & 0x3FF
          o[i] = Int32(bitPattern: u << 22) >> 22
        }
      }
    }
    return out
  }
}

extension WFDBDecoder {
  /// Whether `gather` can decode `format` straight from the file bytes (one sample per whole number of bytes,
  /// no difference coding).
  static func canGather(_ format: WFDBFormat) -> Bool {
    format.group.samples == 1 && format != .format8
  }

  /// Decodes one signal's samples straight from interleaved file bytes: frame `t`, sub-sample `k` is stream
  /// sample `t * perFrame + column + k`.
  static func gather(
    _ base: UnsafeRawPointer, format: WFDBFormat, column: Int, perFrame: Int, samplesPerFrame spf: Int, frames: Int,
    into out: UnsafeMutablePointer<Int32>
  ) {
    @inline(__always) func each(_ size: Int, _ decode: (UnsafeRawPointer) -> Int32) {
      var o = out
      for t in 0..<frames {
        var p = base + (t * perFrame + column) * size
        for _ in 0..<spf {
          o.pointee = decode(p)
          o += 1
          p += size
        }
      }
    }
    switch format {
    case .format16: each(2) { Int32(Int16(littleEndian: $0.loadUnaligned(as: Int16.self))) }
    case .format61: each(2) { Int32(Int16(bigEndian: $0.loadUnaligned(as: Int16.self))) }
    case .format160: each(2) { Int32(UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) - 32768 }
    case .format80: each(1) { Int32($0.load(as: UInt8.self)) - 128 }
    case .format24:
      each(3) { p in
        let u =
          UInt32(p.load(as: UInt8.self)) | UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
          | UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 16
        return Int32(bitPattern: u << 8) >> 8
      }
    case .format32: each(4) { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) }
    case .format8, .format212, .format310, .format311:
      preconditionFailure("gather needs a byte-aligned format")
    }
  }
}
