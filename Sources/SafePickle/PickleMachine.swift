/// The pickle virtual machine: a stack, a mark stack and a memo, driven one opcode at a time.
/// Every opcode consumes at least one byte, so a run always ends.
struct PickleMachine {
  var reader: ByteReader
  let globals: PickleGlobals
  let persistentLoad: Unpickler.PersistentLoad?
  var stack: [Slot] = []
  var marks: [Int] = []
  var memo: [Int: Slot] = [:]
  /// Every container made during the run (see `tearDown`).
  var boxes: [Box] = []
  /// Offset of the opcode being executed, for error messages.
  var opcodeOffset = 0
  var opcode: UInt8 = 0

  init(reader: ByteReader, globals: PickleGlobals, persistentLoad: Unpickler.PersistentLoad?) {
    self.reader = reader
    self.globals = globals
    self.persistentLoad = persistentLoad
  }

  mutating func run() throws -> PickleValue {
    while true {
      opcodeOffset = reader.offset
      opcode = try reader.byte()
      if opcode == UInt8(ascii: ".") {
        var assembler = Assembler()
        return try assembler.value(try pop())
      }
      try execute(opcode)
    }
  }

  // MARK: Stack helpers

  var opcodeName: String { Opcode.name(opcode) }

  mutating func push(_ value: PickleValue) { stack.append(.value(value)) }

  mutating func pop() throws -> Slot {
    guard stack.count > (marks.last ?? 0) else {
      throw PickleError.stackUnderflow(opcode: opcodeName, offset: opcodeOffset)
    }
    return stack.removeLast()
  }

  func top() throws -> Slot {
    guard stack.count > (marks.last ?? 0), let last = stack.last else {
      throw PickleError.stackUnderflow(opcode: opcodeName, offset: opcodeOffset)
    }
    return last
  }

  /// The items pushed since the last MARK, removing them and the mark.
  mutating func popMark() throws -> [Slot] {
    guard let mark = marks.popLast() else {
      throw PickleError.stackUnderflow(opcode: opcodeName + " (no MARK)", offset: opcodeOffset)
    }
    let items = Array(stack[mark...])
    stack.removeSubrange(mark...)
    return items
  }

  func malformed(_ what: String) -> PickleError {
    .malformed("\(opcodeName): \(what)", offset: opcodeOffset)
  }

  func assemble(_ slot: Slot) throws -> PickleValue {
    var assembler = Assembler()
    return try assembler.value(slot)
  }

  func assemble(_ slots: [Slot]) throws -> [PickleValue] {
    var assembler = Assembler()
    return try assembler.values(slots)
  }

  /// Pushes a new container. Every box is also kept in `boxes` until `tearDown`, so nothing is freed mid-run.
  mutating func pushBox(_ content: Box.Content) {
    stack.append(newBox(content))
  }

  mutating func newBox(_ content: Box.Content) -> Slot {
    let box = Box(content)
    boxes.append(box)
    return .box(box)
  }

  /// Wraps a handler's result so later APPEND/SETITEMS/BUILD can update it in place.
  mutating func slot(for value: PickleValue) -> Slot {
    newBox(Self.content(for: value))
  }

  static func content(for value: PickleValue) -> Box.Content {
    switch value {
    case .list(let items): return .list(items.map { .value($0) })
    case .dict(let entries): return .dict(entries.map { (.value($0.key), .value($0.value)) })
    case .set(let items): return .set(items.map { .value($0) }, frozen: false)
    default: return .made(value)
    }
  }

  /// Empties every box before any is freed. Containers can nest a million deep or contain themselves; releasing
  /// them one by one after emptying them all avoids both a recursive release that would overflow the stack and
  /// leaked cycles.
  mutating func tearDown() {
    for box in boxes { box.content = .made(.none) }
    boxes.removeAll()
    stack.removeAll()
    memo.removeAll()
  }
}
