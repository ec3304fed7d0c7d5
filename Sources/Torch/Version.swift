import CTorch

/// The version of the libtorch this build links, e.g. "2.11.0".
public var libtorchVersion: String { String(cString: ctorch_version()) }
