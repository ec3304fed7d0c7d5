/// A downstream-classification input the user can fix (wrong label set for the store, missing label file, a
/// checkpoint without features), with a sentence that says what to do.
public struct ClassificationError: Error, CustomStringConvertible, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
