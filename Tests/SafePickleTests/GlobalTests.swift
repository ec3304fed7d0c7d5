import Foundation
import Testing

@testable import SafePickle

@Suite struct GlobalTests {
  private var pointGlobals: PickleGlobals {
    var globals = PickleGlobals.plain
    globals.allow("geometry.Point") { arguments in
      .object(PickleObject(typeName: "geometry.Point", arguments: arguments))
    }
    globals.allowBuild("geometry.Point") { instance, state in
      guard case .object(var object) = instance else { return instance }
      object.state = state
      return .object(object)
    }
    globals.allowReference("geometry.Kind")
    return globals
  }

  @Test func unlistedGlobalsAreRejectedByName() {
    #expect(loadError(pickle("cos\nsystem\n(S'ls'\ntR.")) == .forbiddenGlobal("os.system"))
    #expect(loadError(pickle(0x8c, 2, "os", 0x8c, 6, "system", 0x93, ".")) == .forbiddenGlobal("os.system"))
    #expect(
      PickleError.forbiddenGlobal("os.system").description.hasPrefix(
        "pickle asks for global 'os.system', which is not allowed"))
  }

  @Test func maliciousReferenceFileIsRejected() throws {
    let path = Fixtures.reference.appendingPathComponent("formats/malicious.pkl").path
    let bytes = try #require(FileManager.default.contents(atPath: path), "missing fixture \(path)")
    let error = loadError([UInt8](bytes), globals: .numpy)
    #expect(error == .forbiddenGlobal("posix.system"))
    #expect(error?.description.contains("'posix.system'") == true)
  }

  @Test func reduceNewobjAndBuildGoThroughHandlers() throws {
    let reduce = pickle("cgeometry\nPoint\nK", 1, "K", 2, 0x86, "R}", 0x8c, 1, "z", "K", 3, "sb.")
    #expect(
      try load(reduce, globals: pointGlobals)
        == .object(
          PickleObject(
            typeName: "geometry.Point", arguments: [.int(1), .int(2)], state: dict((.string("z"), .int(3))))))
    let newobj = pickle(0x8c, 8, "geometry", 0x8c, 5, "Point", 0x93, "K", 4, 0x85, 0x81, ".")
    #expect(
      try load(newobj, globals: pointGlobals) == .object(PickleObject(typeName: "geometry.Point", arguments: [.int(4)]))
    )
    let inst = pickle("(K", 5, "igeometry\nPoint\n.")
    #expect(
      try load(inst, globals: pointGlobals) == .object(PickleObject(typeName: "geometry.Point", arguments: [.int(5)])))
    let obj = pickle("(cgeometry\nPoint\nK", 6, "o.")
    #expect(
      try load(obj, globals: pointGlobals) == .object(PickleObject(typeName: "geometry.Point", arguments: [.int(6)])))
  }

  @Test func referencesAreValuesNotCallables() throws {
    #expect(try load(pickle("cgeometry\nKind\n."), globals: pointGlobals) == .global("geometry.Kind"))
    #expect(
      loadError(pickle("cgeometry\nKind\n)R."), globals: pointGlobals)
        == .invalidValue("global 'geometry.Kind' may appear as a value but cannot be called"))
  }

  @Test func buildNeedsPermission() {
    #expect(loadError(pickle("]", "}b.")) == .invalidValue("setting the state of a 'list' (BUILD) is not allowed"))
  }

  @Test func persistentIdsGoToTheLoader() throws {
    let unpickler = Unpickler(globals: pointGlobals) { id in
      .object(PickleObject(typeName: "storage", arguments: [id]))
    }
    let bytes = pickle(0x8c, 7, "storage", "cgeometry\nKind\n", 0x86, "Q.")
    #expect(
      try unpickler.load(bytes)
        == .object(
          PickleObject(
            typeName: "storage", arguments: [.tuple([.string("storage"), .global("geometry.Kind")])])))
    #expect(
      try unpickler.load(pickle("Pkey7\n.")) == .object(PickleObject(typeName: "storage", arguments: [.string("key7")]))
    )
    #expect(
      loadError(pickle("Pkey7\n."))
        == .malformed(
          "PERSID: the pickle refers to external data (a persistent id) but no loader was given for it", offset: 0))
  }

  @Test func extensionCodesAndOutOfBandBuffersAreRejected() {
    #expect(
      loadError(pickle(0x82, 1, "."))
        == .malformed("EXT1: extension registry codes (copyreg) are not supported", offset: 0))
    #expect(loadError(pickle(0x97, ".")) != nil)
  }
}
