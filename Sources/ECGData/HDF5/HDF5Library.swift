#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few libhdf5 (1.10 or later) functions CODE-15 needs, loaded at run time with `dlopen`, so the
/// package builds and runs everywhere and only CODE-15 needs the library.
struct HDF5Library: Sendable {
  typealias ID = Int64
  typealias Open = @convention(c) () -> Int32
  typealias FileOpen = @convention(c) (UnsafePointer<CChar>, UInt32, ID) -> ID
  typealias FileCreate = @convention(c) (UnsafePointer<CChar>, UInt32, ID, ID) -> ID
  typealias Close = @convention(c) (ID) -> Int32
  typealias DatasetOpen = @convention(c) (ID, UnsafePointer<CChar>, ID) -> ID
  typealias DatasetCreate = @convention(c) (ID, UnsafePointer<CChar>, ID, ID, ID, ID, ID) -> ID
  typealias GetSpace = @convention(c) (ID) -> ID
  typealias Read = @convention(c) (ID, ID, ID, ID, ID, UnsafeMutableRawPointer) -> Int32
  typealias Write = @convention(c) (ID, ID, ID, ID, ID, UnsafeRawPointer) -> Int32
  typealias CreateSimple = @convention(c) (Int32, UnsafePointer<UInt64>, UnsafePointer<UInt64>?) -> ID
  typealias Dims = @convention(c) (ID, UnsafeMutablePointer<UInt64>?, UnsafeMutablePointer<UInt64>?) -> Int32
  typealias NDims = @convention(c) (ID) -> Int32
  typealias Hyperslab =
    @convention(c) (
      ID, Int32, UnsafePointer<UInt64>, UnsafePointer<UInt64>?, UnsafePointer<UInt64>, UnsafePointer<UInt64>?
    ) -> Int32
  typealias SetAuto = @convention(c) (ID, OpaquePointer?, UnsafeMutableRawPointer?) -> Int32

  let fileOpen: FileOpen
  let fileCreate: FileCreate
  let fileClose: Close
  let datasetOpen: DatasetOpen
  let datasetCreate: DatasetCreate
  let datasetClose: Close
  let getSpace: GetSpace
  let read: Read
  let write: Write
  let createSimple: CreateSimple
  let spaceClose: Close
  let dims: Dims
  let ndims: NDims
  let hyperslab: Hyperslab
  let setAuto: SetAuto
  let nativeFloat: ID
  let nativeInt64: ID
  let float32LE: ID
  let int64LE: ID

  /// Stops the library printing its error stacks on the calling thread: a thread-safe build keeps that setting
  /// per thread, and the errors come back as Swift errors anyway.
  func silenceErrorPrinting() { _ = setAuto(0, nil, nil) }

  /// Library names tried in order (Debian's serial build first); `ECG_LIBHDF5` overrides them.
  static let candidates = [
    "libhdf5_serial.so.103", "libhdf5.so.103", "libhdf5_serial.so.310", "libhdf5.so.310", "libhdf5_serial.so.200",
    "libhdf5.so.200", "libhdf5_serial.so", "libhdf5.so", "libhdf5.dylib",
  ]

  static let missingMessage = "CODE-15 needs libhdf5: apt-get install libhdf5-103 (or libhdf5-dev)"

  /// The library, loaded once; an error with install instructions when it is missing.
  static let shared: Result<HDF5Library, DataSourceError> = {
    var names = candidates
    if let custom = getenv("ECG_LIBHDF5") { names.insert(String(cString: custom), at: 0) }
    for name in names {
      if let handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL), let library = HDF5Library(handle: handle) {
        return .success(library)
      }
    }
    return .failure(DataSourceError(missingMessage))
  }()

  /// Loads the library or throws the install message.
  static func load() throws -> HDF5Library { try shared.get() }

  private init?(handle: UnsafeMutableRawPointer) {
    func function<T>(_ name: String, as type: T.Type) -> T? {
      guard let symbol = dlsym(handle, name) else { return nil }
      return unsafeBitCast(symbol, to: type)
    }
    func global(_ name: String) -> ID? {
      guard let symbol = dlsym(handle, name) else { return nil }
      return symbol.load(as: ID.self)
    }
    guard let open = function("H5open", as: Open.self), open() >= 0,
      let fileOpen = function("H5Fopen", as: FileOpen.self),
      let fileCreate = function("H5Fcreate", as: FileCreate.self),
      let fileClose = function("H5Fclose", as: Close.self),
      let datasetOpen = function("H5Dopen2", as: DatasetOpen.self),
      let datasetCreate = function("H5Dcreate2", as: DatasetCreate.self),
      let datasetClose = function("H5Dclose", as: Close.self),
      let getSpace = function("H5Dget_space", as: GetSpace.self),
      let read = function("H5Dread", as: Read.self),
      let write = function("H5Dwrite", as: Write.self),
      let createSimple = function("H5Screate_simple", as: CreateSimple.self),
      let spaceClose = function("H5Sclose", as: Close.self),
      let dims = function("H5Sget_simple_extent_dims", as: Dims.self),
      let ndims = function("H5Sget_simple_extent_ndims", as: NDims.self),
      let hyperslab = function("H5Sselect_hyperslab", as: Hyperslab.self),
      let setAuto = function("H5Eset_auto2", as: SetAuto.self),
      // The type ids are globals set by H5open (hid_t is 64-bit since HDF5 1.10).
      let nativeFloat = global("H5T_NATIVE_FLOAT_g"), let nativeInt64 = global("H5T_NATIVE_LLONG_g"),
      let float32LE = global("H5T_IEEE_F32LE_g"), let int64LE = global("H5T_STD_I64LE_g")
    else { return nil }
    // Errors are reported as Swift errors, not printed by the library.
    _ = setAuto(0, nil, nil)
    self.fileOpen = fileOpen
    self.fileCreate = fileCreate
    self.fileClose = fileClose
    self.datasetOpen = datasetOpen
    self.datasetCreate = datasetCreate
    self.datasetClose = datasetClose
    self.getSpace = getSpace
    self.read = read
    self.write = write
    self.createSimple = createSimple
    self.spaceClose = spaceClose
    self.dims = dims
    self.ndims = ndims
    self.hyperslab = hyperslab
    self.setAuto = setAuto
    self.nativeFloat = nativeFloat
    self.nativeInt64 = nativeInt64
    self.float32LE = float32LE
    self.int64LE = int64LE
  }
}
