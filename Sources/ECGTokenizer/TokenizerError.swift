import Foundation

/// A problem with tokenizer input, files or arguments. The message says what is wrong and what to do.
public struct TokenizerError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
  public var errorDescription: String? { message }
}
