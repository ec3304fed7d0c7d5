import Foundation

/// A problem with a WFDB record: the message says what is wrong and, where possible, what to do.
public struct WFDBError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What kind of problem it is (used to count skipped records by reason).
  public enum Kind: String, Sendable {
    case badHeader = "bad header"
    case missingFile = "missing data file"
    case truncated = "truncated data file"
    case unsupportedFormat = "unsupported signal format"
    case invalid = "invalid record"
    case multiSegment = "multi-segment record"
  }

  /// What went wrong, naming the file.
  public let message: String
  /// The kind of problem.
  public let kind: Kind

  /// Creates an error with a complete, user-facing message.
  public init(_ message: String, kind: Kind = .invalid) {
    self.message = message
    self.kind = kind
  }

  public var description: String { message }
}
