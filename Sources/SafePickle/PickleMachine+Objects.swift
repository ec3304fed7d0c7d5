extension PickleMachine {
  // MARK: Containers

  func pairs(_ items: [Slot]) throws -> [(Slot, Slot)] {
    guard items.count % 2 == 0 else { throw malformed("odd number of items for key/value pairs") }
    return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
  }

  func append(_ items: [Slot]) throws {
    guard case .box(let box) = try top(), case .list(var list) = box.content else {
      throw malformed("can only append to a list, found \(try describe(try top()))")
    }
    box.content = .list([])  // keeps the array uniquely referenced while it grows
    list.append(contentsOf: items)
    box.content = .list(list)
  }

  func setItems(_ items: [(Slot, Slot)]) throws {
    guard case .box(let box) = try top(), case .dict(var entries) = box.content else {
      throw malformed("can only set items of a dict, found \(try describe(try top()))")
    }
    box.content = .dict([])
    entries.append(contentsOf: items)
    box.content = .dict(entries)
  }

  func addItems(_ items: [Slot]) throws {
    guard case .box(let box) = try top(), case .set(var elements, false) = box.content else {
      throw malformed("can only add items to a set, found \(try describe(try top()))")
    }
    box.content = .set([], frozen: false)
    elements.append(contentsOf: items)
    box.content = .set(elements, frozen: false)
  }

  func describe(_ slot: Slot) throws -> String {
    switch slot {
    case .value(let value): return value.typeDescription
    case .box(let box):
      switch box.content {
      case .list: return "list"
      case .tuple: return "tuple"
      case .dict: return "dict"
      case .set(_, let frozen): return frozen ? "frozenset" : "set"
      case .made(let value): return value.typeDescription
      }
    }
  }

  // MARK: Globals, calls and state

  mutating func pushGlobal(module: String, name: String) throws {
    // Protocol 0-2 pickles written by Python 2 use its module names.
    let module = module == "__builtin__" ? "builtins" : module
    let qualified = module + "." + name
    guard globals.allows(qualified) else { throw PickleError.forbiddenGlobal(qualified) }
    push(.global(qualified))
  }

  func tupleArguments(_ slot: Slot) throws -> [PickleValue] {
    guard case .tuple(let arguments) = try assemble(slot) else {
      throw malformed("arguments must be a tuple, found \(try describe(slot))")
    }
    return arguments
  }

  mutating func call(_ callable: Slot, arguments: [PickleValue]) throws {
    guard case .value(.global(let name)) = callable else {
      throw malformed("can only call a whitelisted global, found \(try describe(callable))")
    }
    guard let call = globals.handler(name)?.call else {
      throw PickleError.invalidValue("global '\(name)' may appear as a value but cannot be called")
    }
    stack.append(slot(for: try call(arguments)))
  }

  func build(_ instance: Slot, state: PickleValue) throws {
    guard case .box(let box) = instance else {
      throw malformed("cannot set state on \(try describe(instance))")
    }
    let typeName = try describe(instance)
    guard let build = globals.builder(typeName) else {
      throw PickleError.invalidValue("setting the state of a '\(typeName)' (BUILD) is not allowed")
    }
    var assembler = Assembler()
    let current = try assembler.value(instance)
    box.content = Self.content(for: try build(current, state))
  }

  mutating func persistent(_ id: PickleValue) throws {
    guard let persistentLoad else {
      throw malformed("the pickle refers to external data (a persistent id) but no loader was given for it")
    }
    stack.append(slot(for: try persistentLoad(id)))
  }
}
