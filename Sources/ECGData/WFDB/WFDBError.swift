import Foundation

/// A problem with a WFDB record: the message says what is wrong and, where possible, what to do.
public struct WFDBError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What went wrong, naming the file.
  public let message: String

  /// Creates an error with a complete, user-facing message.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
