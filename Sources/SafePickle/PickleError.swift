/// Why a pickle or `.npy` payload could not be read.
///
/// Every malformed, truncated or unsafe input ends in one of these; the reader never traps and never executes code.
public enum PickleError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The stream ended while `needed` more bytes were expected at `offset`.
  case truncated(offset: Int, needed: Int)
  /// An opcode byte this reader does not know.
  case unknownOpcode(UInt8, offset: Int)
  /// An opcode needed more stack items (or a mark) than there were.
  case stackUnderflow(opcode: String, offset: Int)
  /// GET asked for a memo slot that was never PUT.
  case memoMiss(index: Int, offset: Int)
  /// Text that is not valid UTF-8 (or not valid for its opcode).
  case invalidText(String, offset: Int)
  /// The pickle names a global (a Python callable or class) that the caller did not whitelist.
  case forbiddenGlobal(String)
  /// The stream is structurally wrong (bad argument types, bad lengths, unsupported constructs).
  case malformed(String, offset: Int?)
  /// A whitelisted global was given arguments or state it cannot turn into a value.
  case invalidValue(String)

  public var description: String {
    switch self {
    case .truncated(let offset, let needed):
      return
        "pickle is truncated: needed \(needed) more byte(s) at offset \(offset); the file is incomplete or not a pickle"
    case .unknownOpcode(let byte, let offset):
      return
        "pickle has unknown opcode 0x\(String(byte, radix: 16)) at offset \(offset); the file is corrupt or not a pickle"
    case .stackUnderflow(let opcode, let offset):
      return "pickle opcode \(opcode) at offset \(offset) found too few items on the stack; the file is corrupt"
    case .memoMiss(let index, let offset):
      return "pickle reads memo slot \(index) at offset \(offset), which was never stored; the file is corrupt"
    case .invalidText(let what, let offset):
      return "pickle has invalid text at offset \(offset): \(what)"
    case .forbiddenGlobal(let name):
      return
        "pickle asks for global '\(name)', which is not allowed; only plain data (and whitelisted types such as NumPy arrays) can be read safely"
    case .malformed(let what, let offset):
      return offset.map { "pickle is malformed at offset \($0): \(what)" } ?? "pickle is malformed: \(what)"
    case .invalidValue(let what):
      return "pickle holds an unsupported value: \(what)"
    }
  }
}

#if canImport(Foundation)
  import Foundation

  extension PickleError: LocalizedError {
    public var errorDescription: String? { description }
  }
#endif
