/// A configuration, flag combination or checkpoint a network cannot be built or loaded with; the message says
/// what to change.
public struct ModelConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

func requireConfig(_ condition: Bool, _ message: @autoclosure () -> String) throws {
  if !condition { throw ModelConfigurationError(message()) }
}
