import Foundation
import TensorFormats
import Testing

/// Checkpoints built opcode by opcode: bare state dicts, parameters, shared storages, other globals.
@Suite struct TorchCheckpointPickleTests {
  /// A storage record of float32 values 0, 1, 2, ...
  static func floats(_ count: Int) -> [UInt8] {
    (0..<count).map { Float($0).bitPattern.littleEndian }.withUnsafeBytes { Array($0) }
  }

  static func checkpoint(_ pickle: PickleAssembler, storages: [String: [UInt8]]) throws -> TorchCheckpoint {
    let files = [("m/data.pkl", pickle.bytes)] + storages.keys.sorted().map { ("m/data/\($0)", storages[$0]!) }
    return try TorchCheckpoint(buffer: ByteBuffer(copying: TestZip.archive(files.map { (name: $0.0, bytes: $0.1) })))
  }

  @Test func bareStateDictWithParametersAndSharedStorageConverts() throws {
    var pickle = PickleAssembler()
    pickle.global("collections", "OrderedDict")
    pickle.emptyTuple()
    pickle.reduce()
    pickle.mark()
    pickle.string("weight")
    // nn.Parameter: _rebuild_parameter(tensor, requires_grad, hooks).
    pickle.global("torch._utils", "_rebuild_parameter")
    pickle.mark()
    pickle.tensor(storage: "0", type: "FloatStorage", count: 6, offset: 0, shape: [2, 3], strides: [3, 1])
    pickle.newFalse()
    pickle.global("collections", "OrderedDict")
    pickle.emptyTuple()
    pickle.reduce()
    pickle.tuple()
    pickle.reduce()
    pickle.string("weight_t")  // a transposed view of the same storage
    pickle.tensor(storage: "0", type: "FloatStorage", count: 6, offset: 0, shape: [3, 2], strides: [1, 3])
    pickle.setItems()
    pickle.stop()
    let checkpoint = try Self.checkpoint(pickle, storages: ["0": Self.floats(6)])
    let state = try #require(checkpoint.root.stateDictionary)
    #expect(state.map(\.name) == ["weight", "weight_t"])
    #expect(try state[0].tensor.floatValues() == [0, 1, 2, 3, 4, 5])
    #expect(try state[1].tensor.floatValues() == [0, 3, 1, 4, 2, 5])

    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try ReferenceCheckpointConverter.convert(checkpoint, to: folder)
    #expect(report.files == [.init(name: "model.safetensors", tensorCount: 2)])
    let model = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    #expect(try model["weight_t"]?.floatValues() == [0, 3, 1, 4, 2, 5])
  }

  @Test func globalsOutsideTheWhitelistAreNamed() throws {
    for (module, name) in [("torch", "device"), ("builtins", "eval"), ("numpy.core.multiarray", "_reconstruct")] {
      var pickle = PickleAssembler()
      pickle.global(module, name)
      pickle.stop()
      let error = try #require(throws: TorchCheckpointError.self) { try Self.checkpoint(pickle, storages: [:]) }
      #expect(error.forbiddenGlobal == "\(module).\(name)")
    }
  }

  @Test func storageTooSmallForItsElementCountIsRejected() throws {
    var pickle = PickleAssembler()
    pickle.tensor(storage: "0", type: "DoubleStorage", count: 4, offset: 0, shape: [4], strides: [1])
    pickle.stop()
    let error = try #require(throws: TorchCheckpointError.self) {
      try Self.checkpoint(pickle, storages: ["0": Self.floats(4)])
    }
    #expect(error.description.contains("storage '0' should hold 4 float64 elements"))
  }

  @Test func storageTypesWithoutASupportedDTypeAreRejected() throws {
    var pickle = PickleAssembler()
    pickle.tensor(storage: "0", type: "ShortStorage", count: 2, offset: 0, shape: [2], strides: [1])
    pickle.stop()
    let error = try #require(throws: TorchCheckpointError.self) {
      try Self.checkpoint(pickle, storages: ["0": [0, 0, 0, 0]])
    }
    #expect(error.forbiddenGlobal == "torch.ShortStorage")
  }
}
