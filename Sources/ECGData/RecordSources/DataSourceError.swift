/// A problem with a raw dataset (missing file or column, unexpected value), saying what to check.
public struct DataSourceError: Error, CustomStringConvertible, Sendable {
  /// The user-facing message.
  public let message: String
  /// Creates an error.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
