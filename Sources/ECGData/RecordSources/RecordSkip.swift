/// A record that cannot be used, with the reason it is counted under.
public struct RecordSkip: Error, CustomStringConvertible, Sendable, Equatable {
  /// The short reason used in summaries ("wrong sampling rate").
  public let reason: String
  /// The full message.
  public let detail: String
  /// Creates a skip.
  public init(_ reason: String, _ detail: String) {
    self.reason = reason
    self.detail = detail
  }
  public var description: String { "\(reason): \(detail)" }
}
