extension PickleGlobals {
  /// `plain` plus standard NumPy array pickling: `numpy(._)core.multiarray._reconstruct`, `numpy.ndarray` and its
  /// `__setstate__` (BUILD), `numpy.dtype`, `numpy(._)core.multiarray.scalar` and `numpy(._)core.numeric._frombuffer`
  /// (protocol 5). Arrays must be numeric (bool/int/uint/float) and little-endian; object arrays are rejected.
  public static var numpy: PickleGlobals { numpyGlobals(allowObjectArrays: false) }

  /// `numpy` that also accepts object arrays (whose elements are themselves read safely), as `.npy` files written
  /// by `np.save` of a dict need.
  public static var numpyWithObjectArrays: PickleGlobals { numpyGlobals(allowObjectArrays: true) }

  /// `plain` plus NumPy scalars only: `numpy(._)core.multiarray.scalar` and `numpy.dtype` (no arrays), as a
  /// `torch.save` checkpoint holding a `numpy.float64` learning rate needs.
  public static var numpyScalars: PickleGlobals {
    var globals = PickleGlobals.plain
    addScalars(to: &globals)
    return globals
  }

  private static func addScalars(to globals: inout PickleGlobals) {
    for core in ["numpy.core", "numpy._core"] {
      globals.allow(core + ".multiarray.scalar") { arguments in
        guard arguments.count == 2, case .bytes(let bytes) = arguments[1] else {
          throw PickleError.invalidValue("numpy scalar expects (dtype, bytes)")
        }
        let dtype = try dtypeValue(arguments[0])
        return try NumpyArray(dtype: dtype, shape: [], bytes: bytes).item()
      }
    }
    globals.allow("numpy.dtype") { arguments in
      guard case .string = arguments.first else { throw PickleError.invalidValue("numpy.dtype expects a type string") }
      return .object(PickleObject(typeName: "numpy.dtype", arguments: arguments))
    }
    globals.allowBuild("numpy.dtype") { instance, state in
      guard case .object(var object) = instance else { throw PickleError.invalidValue("bad numpy.dtype instance") }
      object.state = state
      _ = try dtypeValue(.object(object))  // reject unsupported dtypes where they appear
      return .object(object)
    }
  }

  private static func numpyGlobals(allowObjectArrays: Bool) -> PickleGlobals {
    var globals = PickleGlobals.plain
    addScalars(to: &globals)
    globals.allowReference("numpy.ndarray")
    for core in ["numpy.core", "numpy._core"] {
      globals.allow(core + ".multiarray._reconstruct") { arguments in
        guard arguments.first == .global("numpy.ndarray") else {
          throw PickleError.invalidValue("_reconstruct only makes numpy.ndarray instances")
        }
        return .object(PickleObject(typeName: "numpy.ndarray", arguments: arguments))
      }
      globals.allow(core + ".numeric._frombuffer") { arguments in
        guard arguments.count == 4, case .bytes(let bytes) = arguments[0], case .string(let order) = arguments[3] else {
          throw PickleError.invalidValue("numpy _frombuffer expects (buffer, dtype, shape, order)")
        }
        return .ndarray(
          try NumpyArray(
            dtype: try dtypeValue(arguments[1]), shape: try shapeValue(arguments[2]), isFortranOrder: order == "F",
            bytes: bytes))
      }
    }
    globals.allowBuild("numpy.ndarray") { _, state in
      // ndarray.__setstate__((version, shape, dtype, is_fortran, data)); version 1 has the leading int.
      guard case .tuple(var fields) = state else {
        throw PickleError.invalidValue("numpy.ndarray state must be a tuple")
      }
      if fields.count == 5 { fields.removeFirst() }
      guard fields.count == 4, let fortran = fields[2].boolValue else {
        throw PickleError.invalidValue("numpy.ndarray state must be (version, shape, dtype, is_fortran, data)")
      }
      let shape = try shapeValue(fields[0])
      let dtype = try dtypeValue(fields[1])
      switch (dtype, fields[3]) {
      case (.object, .list(let objects)):
        guard allowObjectArrays else {
          throw PickleError.invalidValue("NumPy object arrays are not allowed here; only numeric arrays can be read")
        }
        return .ndarray(try NumpyArray(objects: objects, shape: shape, isFortranOrder: fortran))
      case (.object, _): throw PickleError.invalidValue("NumPy object array data must be a list")
      case (_, .bytes(let bytes)):
        return .ndarray(try NumpyArray(dtype: dtype, shape: shape, isFortranOrder: fortran, bytes: bytes))
      case (_, .string(let text)):  // protocol 0-2 pickles written by Python 2 store the data as a latin-1 str
        return .ndarray(try NumpyArray(dtype: dtype, shape: shape, isFortranOrder: fortran, bytes: try latin1(text)))
      default: throw PickleError.invalidValue("numpy.ndarray data must be bytes, found \(fields[3].typeDescription)")
      }
    }
    return globals
  }

  /// The dtype of a pickled `numpy.dtype(code, align, copy)` with state `(version, byteorder, ...)`.
  static func dtypeValue(_ value: PickleValue) throws -> NumpyDType {
    guard case .object(let object) = value, object.typeName == "numpy.dtype",
      case .string(let code)? = object.arguments.first
    else { throw PickleError.invalidValue("expected a numpy.dtype, found \(value.typeDescription)") }
    var order: Character?
    if case .tuple(let state)? = object.state, state.count > 1, case .string(let text) = state[1],
      let first = text.first
    {
      order = first
      if state.count > 2, state[2] != .none {
        throw PickleError.invalidValue("structured NumPy dtypes are not supported")
      }
    }
    return try NumpyDType(descriptor: code, byteOrder: order)
  }

  static func shapeValue(_ value: PickleValue) throws -> [Int] {
    guard let elements = value.sequenceElements else {
      if let single = value.intValue { return [Int(single)] }
      throw PickleError.invalidValue("NumPy shape must be a tuple of ints, found \(value.typeDescription)")
    }
    return try elements.map {
      guard let dimension = $0.intValue, dimension >= 0, dimension <= Int64(Int32.max) else {
        throw PickleError.invalidValue("NumPy shape entry \($0) is not a valid dimension")
      }
      return Int(dimension)
    }
  }
}
