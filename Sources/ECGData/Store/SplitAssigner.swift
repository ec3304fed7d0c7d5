/// How windows are assigned to train/validation/test.
public enum SplitPolicy: String, Sendable, CaseIterable, Codable {
  /// The dataset's own split where it has one (PTB-XL folds 1-8 / 9 / 10), else `patient`.
  case official
  /// Seeded, patient-disjoint 70/10/20: a patient's records all land in one split.
  case patient
  /// The reference's 70/30 split of its per-window files (scikit-learn `train_test_split` with the
  /// seed, per source); patients leak between train and test. Kept for comparisons.
  case referenceFiles = "reference-files"
}

/// Inputs of the split decision for one window.
public struct SplitKey: Sendable, Codable, Equatable {
  /// Source name (the reference split runs per source).
  public var source: String
  /// Record identifier within the source.
  public var record: String
  /// Patient identifier (the record id when the source has none).
  public var patient: String
  /// The dataset's own split, if any.
  public var official: Split?
  /// The reference's file name for this window (`<stem>_<window>.npy`).
  public var referenceFile: String

  /// Creates a split key.
  public init(source: String, record: String, patient: String, official: Split?, referenceFile: String) {
    self.source = source
    self.record = record
    self.patient = patient
    self.official = official
    self.referenceFile = referenceFile
  }
}

/// Assigns splits to windows.
public enum SplitAssigner {
  /// One split per key, in key order.
  public static func assign(_ keys: [SplitKey], policy: SplitPolicy, seed: Int) -> [Split] {
    switch policy {
    case .official: return keys.map { $0.official ?? patientSplit($0.patient, seed: seed) }
    case .patient: return keys.map { patientSplit($0.patient, seed: seed) }
    case .referenceFiles: return referenceSplit(keys, seed: seed)
    }
  }

  /// 70/10/20 from a seeded hash of the patient id, so a patient's windows share one split.
  public static func patientSplit(_ patient: String, seed: Int) -> Split {
    let text = Array("\(seed):\(patient)".utf8)
    let hash = text.withUnsafeBytes { XXHash64.hash($0) }
    let u = Double(hash >> 11) / Double(1 << 53)
    return u < 0.7 ? .train : (u < 0.8 ? .validation : .test)
  }

  /// The reference's per-source 70/30 file split: files sorted by name, n_train = ⌊0.7 n⌋,
  /// perm = NumPy `RandomState(seed).permutation(n)`, test = the first n − n_train of perm.
  static func referenceSplit(_ keys: [SplitKey], seed: Int) -> [Split] {
    var result = [Split](repeating: .train, count: keys.count)
    let bySource = Dictionary(grouping: keys.indices, by: { keys[$0].source })
    for (_, members) in bySource {
      let sorted = members.sorted { Array(keys[$0].referenceFile.utf8).lexicographicallyPrecedes(Array(keys[$1].referenceFile.utf8)) }
      let n = sorted.count
      let testCount = n - Int((0.7 * Double(n)).rounded(.down))
      var random = LegacyNumPyRandom(seed: UInt32(truncatingIfNeeded: seed))
      let permutation = random.permutation(n)
      for k in 0..<testCount { result[sorted[permutation[k]]] = .test }
    }
    return result
  }
}

/// NumPy's legacy `RandomState` (MT19937 with `init_genrand` seeding) as far as `permutation` needs it.
public struct LegacyNumPyRandom {
  private var state = [UInt32](repeating: 0, count: 624)
  private var position = 624

  /// Seeds like `numpy.random.RandomState(seed)`.
  public init(seed: UInt32) {
    state[0] = seed
    for i in 1..<624 {
      state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
    }
  }

  /// The next 32-bit output of MT19937.
  public mutating func nextUInt32() -> UInt32 {
    if position >= 624 {
      for i in 0..<624 {
        let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
        state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
      }
      position = 0
    }
    var y = state[position]
    position += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// A value in 0...max by masked rejection sampling (NumPy's legacy `random_interval`).
  mutating func interval(_ max: UInt64) -> UInt64 {
    guard max > 0 else { return 0 }
    var mask = max
    for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
    if max <= 0xFFFF_FFFF {
      while true {
        let value = UInt64(nextUInt32()) & mask
        if value <= max { return value }
      }
    }
    while true {
      let value = (UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())) & mask
      if value <= max { return value }
    }
  }

  /// `RandomState(seed).permutation(n)`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var values = Array(0..<n)
    guard n > 1 else { return values }
    for i in stride(from: n - 1, through: 1, by: -1) {
      let j = Int(interval(UInt64(i)))
      values.swapAt(i, j)
    }
    return values
  }
}
