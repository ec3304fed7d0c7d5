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
      let sorted = members.sorted {
        Array(keys[$0].referenceFile.utf8).lexicographicallyPrecedes(Array(keys[$1].referenceFile.utf8))
      }
      let n = sorted.count
      let testCount = n - Int((0.7 * Double(n)).rounded(.down))
      var random = LegacyNumPyRandom(seed: UInt32(truncatingIfNeeded: seed))
      let permutation = random.permutation(n)
      for k in 0..<testCount { result[sorted[permutation[k]]] = .test }
    }
    return result
  }
}
