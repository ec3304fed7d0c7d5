extension PickleMachine {
  /// Runs one opcode (STOP is handled by `run`).
  mutating func execute(_ opcode: UInt8) throws {
    switch opcode {
    // Framing and protocol
    case 0x80:
      let version = try reader.byte()
      guard version <= 5 else { throw malformed("protocol \(version) is newer than 5, the highest this reader knows") }
    case 0x95: _ = try reader.length(8)  // FRAME: only a read-ahead hint; the length must still fit.
    // Scalars
    case 0x4e: push(.none)
    case 0x88: push(.bool(true))
    case 0x89: push(.bool(false))
    case 0x4a: push(.int(Int64(Int32(truncatingIfNeeded: try reader.unsignedLE(4)))))
    case 0x4b: push(.int(Int64(try reader.byte())))
    case 0x4d: push(.int(Int64(try reader.unsignedLE(2))))
    case 0x8a: push(.int(try longValue(try reader.take(Int(try reader.byte())))))
    case 0x8b: push(.int(try longValue(try reader.take(try signedLength()))))
    case 0x49: push(try textInt())
    case 0x4c: push(.int(try textLong()))
    case 0x46: push(.float(try textFloat()))
    case 0x47: push(.float(Double(bitPattern: (try reader.take(8)).reduce(0) { $0 << 8 | UInt64($1) })))
    // Text and bytes
    case 0x58: push(.string(try utf8(try reader.take(try reader.length(4)))))
    case 0x8c: push(.string(try utf8(try reader.take(try reader.length(1)))))
    case 0x8d: push(.string(try utf8(try reader.take(try reader.length(8)))))
    case 0x56: push(.string(try rawUnicodeEscape(try reader.line())))
    case 0x54: push(python2String(try reader.take(try signedLength())))
    case 0x55: push(python2String(try reader.take(try reader.length(1))))
    case 0x53: push(python2String(try quotedString(try reader.line())))
    case 0x42: push(.bytes(Array(try reader.take(try reader.length(4)))))
    case 0x43: push(.bytes(Array(try reader.take(try reader.length(1)))))
    case 0x8e, 0x96: push(.bytes(Array(try reader.take(try reader.length(8)))))
    case 0x97: throw malformed("out-of-band buffers (protocol 5 NEXT_BUFFER) are not supported; pickle in-band")
    case 0x98: _ = try top()  // READONLY_BUFFER: a no-op on an in-band buffer.
    // Stack and memo
    case 0x28: marks.append(stack.count)
    case 0x30:
      if stack.count > (marks.last ?? 0) { _ = try pop() } else { _ = try popMark() }
    case 0x31: _ = try popMark()
    case 0x32: stack.append(try top())
    case 0x67: try get(try decimal(try reader.line()))
    case 0x68: try get(Int(try reader.byte()))
    case 0x6a: try get(Int(try reader.unsignedLE(4)))
    case 0x70: memo[try decimal(try reader.line())] = try top()
    case 0x71: memo[Int(try reader.byte())] = try top()
    case 0x72: memo[Int(try reader.unsignedLE(4))] = try top()
    case 0x94: memo[memo.count] = try top()
    // Containers
    case 0x5d: pushBox(.list([]))
    case 0x29: push(.tuple([]))
    case 0x7d: pushBox(.dict([]))
    case 0x8f: pushBox(.set([], frozen: false))
    case 0x6c: pushBox(.list(try popMark()))
    case 0x74: pushBox(.tuple(try popMark()))
    case 0x85, 0x86, 0x87:
      let count = Int(opcode - 0x84)
      var items: [Slot] = []
      for _ in 0..<count { items.append(try pop()) }
      pushBox(.tuple(items.reversed()))
    case 0x64: pushBox(.dict(try pairs(try popMark())))
    case 0x91: pushBox(.set(try popMark(), frozen: true))
    case 0x61:
      let item = try pop()
      try append([item])
    case 0x65:
      let items = try popMark()
      try append(items)
    case 0x73:
      let value = try pop()
      let key = try pop()
      try setItems([(key, value)])
    case 0x75:
      let items = try pairs(try popMark())
      try setItems(items)
    case 0x90:
      let items = try popMark()
      try addItems(items)
    // Globals and objects
    case 0x63:
      let module = try ascii(try reader.line())
      let name = try ascii(try reader.line())
      try pushGlobal(module: module, name: name)
    case 0x93:
      let name = try pop()
      let module = try pop()
      guard case .value(.string(let nameText)) = name, case .value(.string(let moduleText)) = module else {
        throw malformed("module and name must be strings")
      }
      try pushGlobal(module: moduleText, name: nameText)
    case 0x52:
      let arguments = try pop()
      let callable = try pop()
      try call(callable, arguments: try tupleArguments(arguments))
    case 0x81:
      let arguments = try pop()
      let type = try pop()
      try call(type, arguments: try tupleArguments(arguments))
    case 0x92:
      let keywords = try assemble(try pop())
      let arguments = try pop()
      let type = try pop()
      guard keywords == .dict([]) else { throw malformed("keyword arguments to a constructor are not supported") }
      try call(type, arguments: try tupleArguments(arguments))
    case 0x69:
      let module = try ascii(try reader.line())
      let name = try ascii(try reader.line())
      let arguments = try assemble(try popMark())
      try pushGlobal(module: module, name: name)
      try call(try pop(), arguments: arguments)
    case 0x6f:
      let items = try popMark()
      guard let type = items.first else { throw malformed("OBJ needs a class after MARK") }
      try call(type, arguments: try assemble(Array(items.dropFirst())))
    case 0x62:
      let state = try assemble(try pop())
      try build(try top(), state: state)
    case 0x51: try persistent(try assemble(try pop()))
    case 0x50: try persistent(.string(try ascii(try reader.line())))
    case 0x82, 0x83, 0x84: throw malformed("extension registry codes (copyreg) are not supported")
    default: throw PickleError.unknownOpcode(opcode, offset: opcodeOffset)
    }
  }

  mutating func get(_ index: Int) throws {
    guard let slot = memo[index] else { throw PickleError.memoMiss(index: index, offset: opcodeOffset) }
    stack.append(slot)
  }
}
