/// The unpickler's working objects. Python objects are shared by reference (the memo and the stack can hold the
/// same list, and APPEND mutates it in place), so containers live in boxes until the final value is assembled.
enum Slot {
  case value(PickleValue)
  case box(Box)
}

final class Box {
  enum Content {
    case list([Slot])
    case tuple([Slot])
    case dict([(Slot, Slot)])
    case set([Slot], frozen: Bool)
    /// A value made by a global's handler; BUILD may replace it.
    case made(PickleValue)
  }

  var content: Content

  init(_ content: Content) { self.content = content }
}

/// Turns slots into `PickleValue`s. Shared boxes are assembled once (Swift arrays share storage, so a deeply
/// shared structure costs no more than its distinct boxes); a box that contains itself is rejected.
struct Assembler {
  private var done: [ObjectIdentifier: PickleValue] = [:]
  private var inProgress: Set<ObjectIdentifier> = []
  private var depth = 0
  static let maximumDepth = 2000

  mutating func value(_ slot: Slot) throws -> PickleValue {
    switch slot {
    case .value(let value): return value
    case .box(let box): return try value(box)
    }
  }

  mutating func values(_ slots: [Slot]) throws -> [PickleValue] {
    var result: [PickleValue] = []
    result.reserveCapacity(slots.count)
    for slot in slots { result.append(try value(slot)) }
    return result
  }

  private mutating func value(_ box: Box) throws -> PickleValue {
    let id = ObjectIdentifier(box)
    if let cached = done[id] { return cached }
    guard !inProgress.contains(id) else {
      throw PickleError.invalidValue("a container contains itself; recursive structures are not supported")
    }
    guard depth < Self.maximumDepth else {
      throw PickleError.invalidValue("containers nested more than \(Self.maximumDepth) deep")
    }
    inProgress.insert(id)
    depth += 1
    defer {
      inProgress.remove(id)
      depth -= 1
    }
    let result: PickleValue
    switch box.content {
    case .list(let slots): result = .list(try values(slots))
    case .tuple(let slots): result = .tuple(try values(slots))
    case .set(let slots, let frozen): result = frozen ? .frozenSet(try values(slots)) : .set(try values(slots))
    case .dict(let pairs):
      var entries: [PickleKeyValue] = []
      entries.reserveCapacity(pairs.count)
      for (key, value) in pairs { entries.append(PickleKeyValue(try self.value(key), try self.value(value))) }
      result = .dict(entries)
    case .made(let value): result = value
    }
    done[id] = result
    return result
  }
}
