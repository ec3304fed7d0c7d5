/// XXH64 (seed 0), the checksum of dataset-store shards: fast and widely available
/// (`xxhsum -H64`, Python's `xxhash.xxh64`).
public enum XXHash64 {
  private static let p1: UInt64 = 11_400_714_785_074_694_791
  private static let p2: UInt64 = 14_029_467_366_897_019_727
  private static let p3: UInt64 = 1_609_587_929_392_839_161
  private static let p4: UInt64 = 9_650_029_242_287_828_579
  private static let p5: UInt64 = 2_870_177_450_012_600_261

  @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

  @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
    rotl(acc &+ input &* p2, 31) &* p1
  }

  @inline(__always) private static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
    (acc ^ round(0, value)) &* p1 &+ p4
  }

  /// The 64-bit hash of `bytes` with `seed`.
  public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    let count = bytes.count
    var offset = 0
    @inline(__always) func read64(_ at: Int) -> UInt64 {
      UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
    @inline(__always) func read32(_ at: Int) -> UInt32 {
      UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    var h: UInt64
    if count >= 32 {
      var v1 = seed &+ p1 &+ p2
      var v2 = seed &+ p2
      var v3 = seed
      var v4 = seed &- p1
      while offset + 32 <= count {
        v1 = round(v1, read64(offset))
        v2 = round(v2, read64(offset + 8))
        v3 = round(v3, read64(offset + 16))
        v4 = round(v4, read64(offset + 24))
        offset += 32
      }
      h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
      h = merge(h, v1)
      h = merge(h, v2)
      h = merge(h, v3)
      h = merge(h, v4)
    } else {
      h = seed &+ p5
    }
    h &+= UInt64(count)
    while offset + 8 <= count {
      h ^= round(0, read64(offset))
      h = rotl(h, 27) &* p1 &+ p4
      offset += 8
    }
    if offset + 4 <= count {
      h ^= UInt64(read32(offset)) &* p1
      h = rotl(h, 23) &* p2 &+ p3
      offset += 4
    }
    while offset < count {
      h ^= UInt64(bytes[offset]) &* p5
      h = rotl(h, 11) &* p1
      offset += 1
    }
    h ^= h >> 33
    h &*= p2
    h ^= h >> 29
    h &*= p3
    h ^= h >> 32
    return h
  }

  /// The hash of `bytes` as 16 lowercase hex digits.
  public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
    let value = String(hash(bytes), radix: 16)
    return String(repeating: "0", count: 16 - value.count) + value
  }
}
