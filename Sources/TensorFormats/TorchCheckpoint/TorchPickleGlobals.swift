import SafePickle

/// The whitelist for `torch.save` pickles: plain data, `OrderedDict`, NumPy scalars (a scheduler past
/// warm-up stores its learning rate as `numpy.float64`, pickled through `numpy._core.multiarray.scalar`,
/// `numpy.dtype` and `_codecs.encode`), the typed storage classes (only as values, inside persistent
/// ids) and the two functions that rebuild tensors and parameters. Nothing is executed: the rebuild functions only record their arguments, and
/// ``TorchCheckpoint`` turns those records into ``StoredTensor``s afterwards.
enum TorchPickleGlobals {
  static let tensorTypeName = "torch.Tensor"
  static let storageTypeName = "torch.storage"

  static var globals: PickleGlobals {
    var globals = PickleGlobals.numpyScalars
    for type in TensorElementType.allCases { globals.allowReference("torch." + type.torchStorageName) }
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    globals.allow("torch._utils._rebuild_tensor_v2") { arguments in
      guard arguments.count >= 4, case .object(let storage) = arguments[0], storage.typeName == storageTypeName else {
        throw PickleError.invalidValue("torch._utils._rebuild_tensor_v2 called without a storage")
      }
      return .object(PickleObject(typeName: tensorTypeName, arguments: Array(arguments[0..<4])))
    }
    // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is read as its tensor.
    globals.allow("torch._utils._rebuild_parameter") { arguments in
      guard let data = arguments.first, case .object(let tensor) = data, tensor.typeName == tensorTypeName else {
        throw PickleError.invalidValue("torch._utils._rebuild_parameter called without a tensor")
      }
      return data
    }
    return globals
  }

  /// Resolves torch's persistent id `('storage', storage_type, key, location, numel)` to a record
  /// of the storage's key, type and element count.
  static let persistentLoad: Unpickler.PersistentLoad = { id in
    guard case .tuple(let fields) = id, fields.count == 5, fields[0] == .string("storage"),
      case .global(let type) = fields[1], case .string(let key) = fields[2], case .int(let count) = fields[4],
      count >= 0
    else {
      throw PickleError.invalidValue("persistent id \(id.typeDescription) is not a torch storage reference")
    }
    return .object(PickleObject(typeName: storageTypeName, arguments: [.string(key), .global(type), .int(count)]))
  }
}
