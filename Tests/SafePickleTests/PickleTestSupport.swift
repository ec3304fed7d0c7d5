@testable import SafePickle

/// Builds hand-assembled pickles: strings are their ASCII bytes, integers single bytes.
func pickle(_ parts: PicklePart...) -> [UInt8] { parts.flatMap(\.bytes) }

struct PicklePart: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
  let bytes: [UInt8]
  init(stringLiteral value: String) { bytes = Array(value.utf8) }
  init(integerLiteral value: UInt8) { bytes = [value] }
  init(arrayLiteral elements: UInt8...) { bytes = elements }
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// A little-endian integer of `width` bytes.
  static func le(_ value: UInt64, _ width: Int) -> PicklePart {
    PicklePart((0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) })
  }
}

func load(_ bytes: [UInt8], globals: PickleGlobals = .plain) throws -> PickleValue {
  try Unpickler(globals: globals).load(bytes)
}

/// The error a load throws, or nil.
func loadError(_ bytes: [UInt8], globals: PickleGlobals = .plain) -> PickleError? {
  do {
    _ = try load(bytes, globals: globals)
    return nil
  } catch let error as PickleError {
    return error
  } catch {
    return .invalidValue("unexpected error type \(error)")
  }
}

func dict(_ entries: (PickleValue, PickleValue)...) -> PickleValue {
  .dict(entries.map { PickleKeyValue($0.0, $0.1) })
}
