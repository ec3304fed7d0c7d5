import Testing

@testable import SafePickle

@Suite struct ScalarOpcodeTests {
  @Test func binaryIntegers() throws {
    #expect(try load(pickle(0x80, 2, "J", .le(UInt64(UInt32(bitPattern: -5)), 4), ".")) == .int(-5))
    #expect(try load(pickle("K", 200, ".")) == .int(200))
    #expect(try load(pickle("M", .le(60000, 2), ".")) == .int(60000))
  }

  @Test func longs() throws {
    #expect(try load(pickle(0x8a, 0, ".")) == .int(0))
    #expect(try load(pickle(0x8a, 2, 0xff, 0x7f, ".")) == .int(32767))
    #expect(try load(pickle(0x8a, 1, 0xff, ".")) == .int(-1))
    #expect(try load(pickle(0x8a, 9, .le(UInt64(bitPattern: Int64.min), 8), 0xff, ".")) == .int(.min))
    #expect(try load(pickle(0x8b, .le(3, 4), 0x00, 0x00, 0x80, ".")) == .int(-(1 << 23)))
    #expect(
      loadError(pickle(0x8a, 9, .le(0, 8), 1, ".")) == .invalidValue("integer of 9 bytes does not fit in 64 bits"))
  }

  @Test func textNumbers() throws {
    #expect(try load(pickle("I-42\n.")) == .int(-42))
    #expect(try load(pickle("I01\n.")) == .bool(true))
    #expect(try load(pickle("I00\n.")) == .bool(false))
    #expect(try load(pickle("L12345678901L\n.")) == .int(12_345_678_901))
    #expect(try load(pickle("F-2.5e3\n.")) == .float(-2500))
    #expect(try load(pickle("G", 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, ".")) == .float(1.5))
  }

  @Test func constants() throws {
    #expect(try load(pickle("N.")) == .none)
    #expect(try load(pickle(0x88, ".")) == .bool(true))
    #expect(try load(pickle(0x89, ".")) == .bool(false))
  }

  @Test func strings() throws {
    #expect(try load(pickle("X", .le(2, 4), "hi", ".")) == .string("hi"))
    #expect(try load(pickle(0x8c, 3, [0xc3, 0xa9], "x", ".")) == .string("éx"))
    #expect(try load(pickle(0x8d, .le(1, 8), "z", ".")) == .string("z"))
    #expect(try load(pickle("Va\\u00e9\\U0001F600\n.")) == .string("aé😀"))
    #expect(try load(pickle("S'it\\'s\\n\\x41'\n.")) == .string("it's\nA"))
    #expect(try load(pickle("T", .le(3, 4), "abc", ".")) == .string("abc"))
    #expect(try load(pickle("U", 2, [0xff, 0xfe], ".")) == .bytes([0xff, 0xfe]))
  }

  @Test func bytes() throws {
    #expect(try load(pickle("B", .le(2, 4), [1, 2], ".")) == .bytes([1, 2]))
    #expect(try load(pickle("C", 1, [9], ".")) == .bytes([9]))
    #expect(try load(pickle(0x8e, .le(0, 8), ".")) == .bytes([]))
    #expect(try load(pickle(0x96, .le(1, 8), [7], 0x98, ".")) == .bytes([7]))
  }

  @Test func framing() throws {
    #expect(try load(pickle(0x80, 4, 0x95, .le(3, 8), "K", 1, ".")) == .int(1))
    #expect(
      loadError(pickle(0x80, 6, "N."))
        == .malformed("PROTO: protocol 6 is newer than 5, the highest this reader knows", offset: 0))
  }
}

@Suite struct ContainerOpcodeTests {
  @Test func lists() throws {
    #expect(try load(pickle("]K", 1, "a(K", 2, "K", 3, "K", 4, "e.")) == .list([.int(1), .int(2), .int(3), .int(4)]))
    #expect(try load(pickle("(K", 1, "N", "l.")) == .list([.int(1), .none]))
  }

  @Test func tuples() throws {
    #expect(try load(pickle(").")) == .tuple([]))
    #expect(try load(pickle("K", 1, 0x85, ".")) == .tuple([.int(1)]))
    #expect(try load(pickle("K", 1, "K", 2, 0x86, ".")) == .tuple([.int(1), .int(2)]))
    #expect(try load(pickle("K", 1, "K", 2, "K", 3, 0x87, ".")) == .tuple([.int(1), .int(2), .int(3)]))
    #expect(try load(pickle("(K", 1, "K", 2, "K", 3, "K", 4, "t.")) == .tuple([1, 2, 3, 4].map { .int($0) }))
  }

  @Test func dicts() throws {
    #expect(
      try load(pickle("}K", 1, "K", 2, "s(K", 3, "K", 4, "K", 5, "K", 6, "u."))
        == dict((.int(1), .int(2)), (.int(3), .int(4)), (.int(5), .int(6))))
    #expect(try load(pickle("(K", 1, "N", "d.")) == dict((.int(1), .none)))
    #expect(try load(pickle("}", 0x8c, 1, "k", "K", 2, "s."))["k"] == .int(2))
  }

  @Test func sets() throws {
    #expect(try load(pickle(0x8f, "(K", 1, "K", 2, 0x90, ".")) == .set([.int(1), .int(2)]))
    #expect(try load(pickle("(K", 3, 0x91, ".")) == .frozenSet([.int(3)]))
  }

  @Test func stackManipulation() throws {
    #expect(try load(pickle("K", 1, "K", 2, "0.")) == .int(1))
    #expect(try load(pickle("K", 1, "(K", 2, "K", 3, "1.")) == .int(1))
    #expect(try load(pickle("K", 1, "(", "0.")) == .int(1))  // POP with nothing above the mark drops the mark
    #expect(try load(pickle("K", 5, "2", 0x86, ".")) == .tuple([.int(5), .int(5)]))
  }

  @Test func memo() throws {
    #expect(try load(pickle("K", 7, "p3\n0g3\n.")) == .int(7))
    #expect(try load(pickle("K", 7, "q", 200, "0h", 200, ".")) == .int(7))
    #expect(try load(pickle("K", 7, "r", .le(70000, 4), "0j", .le(70000, 4), ".")) == .int(7))
    #expect(try load(pickle("K", 1, 0x94, "K", 2, 0x94, "0h", 1, ".")) == .int(2))
  }

  /// A list stored in the memo and filled afterwards is the same list when fetched again, as in Python.
  @Test func sharedContainersSeeLaterMutations() throws {
    let bytes = pickle("]", 0x94, "K", 1, "a", "h", 0, 0x86, ".")
    #expect(try load(bytes) == .tuple([.list([.int(1)]), .list([.int(1)])]))
  }

  @Test func recursiveStructuresAreRejected() {
    let bytes = pickle("]", 0x94, "h", 0, "a.")
    #expect(loadError(bytes) == .invalidValue("a container contains itself; recursive structures are not supported"))
  }
}
