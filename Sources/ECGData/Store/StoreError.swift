/// A problem with a dataset store, with what to do about it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
  /// The user-facing message.
  public let message: String
  /// Creates an error.
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
