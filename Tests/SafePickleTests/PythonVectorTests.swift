import Testing

@testable import SafePickle

/// Pickles written by CPython and NumPy (see PythonVectors.swift for the script).
@Suite struct PythonVectorTests {
  static let plainExpected: PickleValue = dict(
    (
      .string("ints"),
      .list([0, 1, -1, 255, 256, 65535, 65536, -(1 << 31), (1 << 31) - 1, 1 << 40, .min, .max].map { .int($0) })
    ),
    (.string("floats"), .list([.float(0.5), .float(-1.25e-300), .float(.infinity)])),
    (.string("text"), .list([.string(""), .string("héllo ✓"), .string("a\nb'\"\\")])),
    (.string("bytes"), .bytes([0, 0xff, 0x61, 0x62])),
    (.string("consts"), .tuple([.none, .bool(true), .bool(false)])),
    (
      .string("tuples"),
      .list([
        .tuple([]), .tuple([.int(1)]), .tuple([.int(1), .int(2)]), .tuple([.int(1), .int(2), .int(3)]),
        .tuple([.int(1), .int(2), .int(3), .int(4)]),
      ])
    ),
    (.string("shared"), .list([.list([.int(7)]), .list([.int(7)])])),
    (.string("set"), .set([.int(1), .int(2), .int(3)])),
    (.string("frozen"), .frozenSet([.int(5)])),
    (.string("nested"), dict((.string("x"), dict((.string("y"), .list([.list([])]))))))
  )

  @Test(arguments: 0...5)
  func plainDataInEveryProtocol(version: Int) throws {
    let bytes = PythonVectors.all.first { $0.0 == "plainProtocol\(version)" }!.1
    #expect(try load(bytes) == Self.plainExpected)
  }

  @Test func orderedDictAndBytearray() throws {
    #expect(try load(PythonVectors.orderedDict) == dict((.string("b"), .int(1)), (.string("a"), .list([.int(2)]))))
    #expect(try load(PythonVectors.bytearray5) == .bytes(Array("xyz".utf8)))
  }

  @Test(arguments: ["float32Protocol2", "float32Protocol4", "float32Protocol5"])
  func float32Arrays(name: String) throws {
    let bytes = PythonVectors.all.first { $0.0 == name }!.1
    guard case .ndarray(let array) = try load(bytes, globals: .numpy) else { Issue.record("not an array"); return }
    #expect(array.dtype == .float32)
    #expect(array.shape == [2, 3])
    #expect(try array.floats() == [0, 0.25, 0.5, 0.75, 1, 1.25])
    #expect(try array.doubles() == [0, 0.25, 0.5, 0.75, 1, 1.25])
  }

  @Test func numericArraysOfEveryKind() throws {
    func array(_ bytes: [UInt8]) throws -> NumpyArray {
      guard case .ndarray(let array) = try load(bytes, globals: .numpy) else {
        throw PickleError.invalidValue("not an array")
      }
      return array
    }
    let fortran = try array(PythonVectors.float64Fortran)
    #expect(fortran.isFortranOrder && fortran.shape == [3, 2])
    #expect(try fortran.doubles() == [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])
    #expect(try array(PythonVectors.int16).int64s() == [-3, 0, 300])
    #expect(try array(PythonVectors.uint64).int64s() == [1, 1 << 40])
    #expect(try array(PythonVectors.bool).int64s() == [1, 0, 1])
    #expect(try array(PythonVectors.float16).floats() == [1.5, -2, 65504])
    #expect(try load(PythonVectors.scalar, globals: .numpy) == .float(2.5))
  }

  @Test func unsupportedArraysAreRejected() {
    #expect(loadError(PythonVectors.bigEndian, globals: .numpy)?.description.contains("big-endian") == true)
    #expect(
      loadError(PythonVectors.objectArray, globals: .numpy)?.description.contains("object arrays are not allowed")
        == true)
    #expect(loadError(PythonVectors.float32Protocol4) == .forbiddenGlobal("numpy._core.multiarray._reconstruct"))
  }

  @Test func objectArraysWhenAllowed() throws {
    guard case .ndarray(let array) = try load(PythonVectors.objectArray, globals: .numpyWithObjectArrays) else {
      Issue.record("not an array")
      return
    }
    #expect(try array.item() == dict((.string("a"), .int(1))))
  }
}

@Suite struct NPYFileTests {
  /// The layout of the reference's preprocessed records: a 0-d object array holding a pickled dict.
  @Test func savedDictLikeTheReferenceRecords() throws {
    let record = try NPYFile.read(PythonVectors.npyDict, allowPickle: true).item()
    #expect(record["report"] == .string("sinus rhythm"))
    #expect(record["target_sf"] == .int(250))
    guard case .ndarray(let ecg)? = record["ecg"] else { Issue.record("no ecg array"); return }
    #expect(ecg.shape == [4, 6] && ecg.isFortranOrder)
    // element (lead c, sample t) = t * 4 + c
    #expect(try ecg.doubles() == (0..<4).flatMap { c in (0..<6).map { t in Double(t * 4 + c) } })
  }

  @Test func pickledPayloadNeedsPermission() {
    #expect(throws: PickleError.self) { try NPYFile.read(PythonVectors.npyDict) }
  }

  @Test func numericFilesVersions1To3() throws {
    let ints = try NPYFile.read(PythonVectors.npyInt32)
    #expect(ints.dtype == .int32 && ints.shape == [2, 3])
    #expect(try ints.int64s() == [0, 1, 2, 3, 4, 5])
    let fortran = try NPYFile.read(PythonVectors.npyFortranV2)
    #expect(fortran.isFortranOrder)
    #expect(try fortran.floats() == [0, 1, 2, 3, 4, 5])
    #expect(try NPYFile.read(PythonVectors.npyV3).doubles() == [1.5, -2])
  }

  @Test func notAnNPYFile() {
    #expect(throws: PickleError.self) { try NPYFile.read(Array("hello world".utf8)) }
  }
}
