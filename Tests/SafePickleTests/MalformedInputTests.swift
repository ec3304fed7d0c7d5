import Testing

@testable import SafePickle

@Suite struct MalformedInputTests {
  @Test func truncatedStreams() {
    #expect(loadError([]) == .truncated(offset: 0, needed: 1))
    #expect(loadError(pickle("K")) == .truncated(offset: 1, needed: 1))
    #expect(loadError(pickle("K", 1)) == .truncated(offset: 2, needed: 1))  // no STOP
    #expect(loadError(pickle("X", .le(10, 4), "abc.")) == .truncated(offset: 1, needed: 6))
    #expect(loadError(pickle(0x8e, .le(UInt64.max, 8), ".")) != nil)
    #expect(loadError(pickle(0x95, .le(1 << 40, 8), "N.")) != nil)
    #expect(loadError(pickle("I12")) == .truncated(offset: 3, needed: 1))
  }

  @Test func unknownOpcode() {
    #expect(loadError(pickle("N", 0xff, ".")) == .unknownOpcode(0xff, offset: 1))
  }

  @Test func stackUnderflow() {
    #expect(loadError(pickle(".")) == .stackUnderflow(opcode: "STOP", offset: 0))
    #expect(loadError(pickle("a.")) == .stackUnderflow(opcode: "APPEND", offset: 0))
    #expect(loadError(pickle("]", "(a.")) == .stackUnderflow(opcode: "APPEND", offset: 2))  // cannot pop through a MARK
    #expect(loadError(pickle("K", 1, "e.")) == .stackUnderflow(opcode: "APPENDS (no MARK)", offset: 2))
    #expect(loadError(pickle("K", 1, 0x87, ".")) == .stackUnderflow(opcode: "TUPLE3", offset: 2))
  }

  @Test func memoMiss() {
    #expect(loadError(pickle("h", 3, ".")) == .memoMiss(index: 3, offset: 0))
  }

  @Test func badText() {
    #expect(
      loadError(pickle(0x8c, 2, [0xc3, 0x28], "."))
        == .invalidText("SHORT_BINUNICODE string is not valid UTF-8", offset: 0))
    #expect(loadError(pickle("Ifoo\n.")) == .malformed("INT: 'foo' is not a 64-bit integer", offset: 0))
  }

  @Test func wrongTypes() {
    #expect(
      loadError(pickle("K", 1, "K", 2, "a.")) == .malformed("APPEND: can only append to a list, found int", offset: 4))
    #expect(
      loadError(pickle("K", 1, ")R.")) == .malformed("REDUCE: can only call a whitelisted global, found int", offset: 3)
    )
    #expect(
      loadError(pickle("K", 1, "K", 2, 0x93, "."))
        == .malformed("STACK_GLOBAL: module and name must be strings", offset: 4))
  }

  @Test func deepNestingIsRejectedNotACrash() {
    let depth = Assembler.maximumDepth + 10
    let bytes = pickle(
      PicklePart([UInt8](repeating: UInt8(ascii: "("), count: depth)),
      PicklePart([UInt8](repeating: UInt8(ascii: "l"), count: depth)), ".")
    #expect(loadError(bytes) == .invalidValue("containers nested more than \(Assembler.maximumDepth) deep"))
  }

  /// 200,000 nested lists, discarded (POP) or rejected, are freed without deep recursion.
  @Test func hugeNestingIsFreedWithoutRecursion() throws {
    let depth = 200_000
    let nested = pickle(
      PicklePart([UInt8](repeating: UInt8(ascii: "("), count: depth)),
      PicklePart([UInt8](repeating: UInt8(ascii: "l"), count: depth)))
    #expect(try load(nested + pickle("0N.")) == .none)
    #expect(
      loadError(nested + pickle(".")) == .invalidValue("containers nested more than \(Assembler.maximumDepth) deep"))
    // A chain built by appending memoized lists into each other, then a self-reference (a cycle).
    let count: UInt64 = 50_000
    var chain: [UInt8] = []
    for index in 0..<count { chain += pickle("]r", .le(index, 4), "0") }
    for index in 0..<count - 1 { chain += pickle("j", .le(index, 4), "j", .le(index + 1, 4), "a0") }
    chain += pickle("j", .le(count - 1, 4), "j", .le(0, 4), "a0")
    #expect(try load(chain + pickle("N.")) == .none)
    #expect(loadError(chain + pickle("j", .le(0, 4), ".")) != nil)
  }

  /// Every prefix and every single-byte corruption of real pickles either loads or throws; none crashes.
  @Test(arguments: PythonVectors.all.map(\.0))
  func truncationsAndCorruptionsNeverCrash(name: String) {
    let bytes = PythonVectors.all.first { $0.0 == name }!.1
    let globals = PickleGlobals.numpyWithObjectArrays
    for length in 0..<bytes.count {
      let prefix = Array(bytes.prefix(length))
      if name.hasPrefix("npy") {
        #expect((try? NPYFile.read(prefix, allowPickle: true)) == nil)
      } else {
        #expect(loadError(prefix, globals: globals) != nil)
      }
    }
    var generator = SplitMix(seed: UInt64(bytes.count))
    for _ in 0..<300 {
      var corrupted = bytes
      corrupted[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
      _ = loadError(corrupted, globals: globals)
      _ = try? NPYFile.read(corrupted, allowPickle: true)
    }
  }
}

/// A tiny deterministic random generator for the corruption test.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce5_e4b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
