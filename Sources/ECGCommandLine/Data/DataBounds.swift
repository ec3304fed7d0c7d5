import ArgumentParser
import ECGData

/// The bounds of the data commands' numeric options, the same in every command, with one message each.
enum DataBounds {
  /// The highest output sampling rate, Hz.
  static let maximumRate = 100_000.0
  /// The longest window: what a record may hold per lead after resampling.
  static let maximumSegmentLength = RecordProcessor.maximumSamplesPerLead
  /// The most records per shard (a shard is held in memory while written).
  static let maximumRecordsPerShard = 1_000_000
  /// The most synthetic records one store may hold.
  static let maximumCount = 1_000_000_000

  static func checkRate(_ rate: Double, flag: String) throws {
    guard rate.isFinite, rate > 0, rate <= maximumRate else {
      throw ValidationError("\(flag) must be a finite rate above 0 and at most \(Int(maximumRate)) Hz")
    }
  }

  static func checkSegmentLength(_ length: Int) throws {
    guard (1...maximumSegmentLength).contains(length) else {
      throw ValidationError("--segment-len must be between 1 and \(maximumSegmentLength)")
    }
  }

  static func checkRecordsPerShard(_ count: Int) throws {
    guard (1...maximumRecordsPerShard).contains(count) else {
      throw ValidationError("--records-per-shard must be between 1 and \(maximumRecordsPerShard)")
    }
  }
}
