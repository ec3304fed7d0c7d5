/// The `__metadata__` of a safetensors file: string keys and values in order.
///
/// The format does not fix the order of the keys (the reference writer takes a Rust `HashMap`'s order), so a
/// reader keeps the order the file lists them in and a writer writes its keys in insertion order: reading a file
/// and writing it again reproduces its header byte for byte. A dictionary literal keeps its order; a Swift
/// `Dictionary` has none, so ``init(_:)`` sorts its keys.
public struct SafeTensorsMetadata: Sendable, Hashable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
  /// The keys, in order.
  public private(set) var keys: [String] = []
  private var values: [String: String] = [:]

  /// The key under which a state dict's order travels (a JSON list of its names): safetensors files keep none.
  public static let stateDictOrderKey = "order"

  /// Empty metadata.
  public init() {}

  /// The entries of `dictionary`, keys sorted.
  public init(_ dictionary: [String: String]) {
    for key in dictionary.keys.sorted() { self[key] = dictionary[key] }
  }

  /// The entries in literal order; a repeated key keeps its first place and its last value.
  public init(dictionaryLiteral elements: (String, String)...) {
    for (key, value) in elements { self[key] = value }
  }

  /// The value for `key`. Setting a new key appends it; setting nil removes the key.
  public subscript(key: String) -> String? {
    get { values[key] }
    set {
      if let newValue {
        if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if values.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  /// Whether there are no entries.
  public var isEmpty: Bool { keys.isEmpty }
  /// The number of entries.
  public var count: Int { keys.count }
  /// The entries in order.
  public var entries: [(key: String, value: String)] { keys.map { ($0, values[$0]!) } }
  /// The entries as a dictionary (without their order).
  public var dictionary: [String: String] { values }

  public var description: String {
    "[" + entries.map { "\($0.key.debugDescription): \($0.value.debugDescription)" }.joined(separator: ", ") + "]"
  }

  /// Same entries in the same order.
  public static func == (left: SafeTensorsMetadata, right: SafeTensorsMetadata) -> Bool {
    left.keys == right.keys && left.values == right.values
  }

  /// Same entries, in any order.
  public static func == (left: SafeTensorsMetadata, right: [String: String]) -> Bool { left.values == right }

  /// Same entries, in any order.
  public static func == (left: [String: String], right: SafeTensorsMetadata) -> Bool { left == right.values }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(keys)
    hasher.combine(values)
  }
}
