/// Base class of neural-network layers and models, with PyTorch's naming and state semantics.
///
/// Subclasses declare their state with property wrappers:
///
///     final class Block: Module {
///       @Child("norm") var norm = LayerNorm(64)
///       @Child("ff") var feedForward = Sequential(Linear(64, 256), GELU(), Linear(256, 64))
///       @Parameter("scale") var scale: Tensor
///       override init() { super.init(); scale = Tensor.ones([64]) }
///     }
///
/// gives the state-dict keys `scale`, `norm.weight`, `norm.bias`, `ff.0.weight`, … exactly as the PyTorch
/// module would: a module's own parameters, then its own buffers, then each submodule, whatever the order of
/// the Swift declarations (within each kind, declaration order is registration order).
///
/// The slots are found by reflection once per instance, at first use, and cached; traversals such as
/// `namedParameters()` called every training step do not reflect.
open class Module {
  /// Whether the module is in training mode (dropout active, batch statistics used).
  public private(set) var isTraining = true
  /// The declared slots, found by reflection at first use.
  private var declaredSlots: DeclaredSlots?

  public init() {}

  /// The module's own parameters, then its buffers, then its submodules (PyTorch's order). Containers
  /// override it.
  open func registeredEntries() -> [ModuleEntry] {
    let slots: DeclaredSlots
    if let cached = declaredSlots {
      slots = cached
    } else {
      slots = DeclaredSlots(reflecting: self)
      declaredSlots = slots
    }
    guard !slots.children.isEmpty else { return slots.tensorEntries }
    return slots.tensorEntries
      + slots.children.compactMap { slot in slot.module.map { .child(name: slot.slotName, module: $0) } }
  }

  /// Switches this module and every submodule to training (`true`) or evaluation mode.
  public func train(_ training: Bool = true) {
    visitModules { $1.isTraining = training }
  }

  /// Switches to evaluation mode (`model.eval()`).
  public func eval() { train(false) }

  /// Calls `body` on this module and every submodule, depth first, with its dotted name ("" for self).
  public func visitModules(prefix: String = "", _ body: (String, Module) -> Void) {
    body(prefix, self)
    for entry in registeredEntries() {
      if case .child(let name, let module) = entry {
        module.visitModules(prefix: prefix.isEmpty ? name : "\(prefix).\(name)", body)
      }
    }
  }

  /// Every submodule with its dotted name, this module first (`named_modules()`).
  public func namedModules() -> [(name: String, module: Module)] {
    var result: [(String, Module)] = []
    visitModules { result.append(($0, $1)) }
    return result
  }

  /// Parameters with dotted names in PyTorch's order; a tensor shared by several modules appears once
  /// (`named_parameters()`).
  public func namedParameters() -> [NamedTensor] {
    var seen = Set<ObjectIdentifier>()
    return namedTensors(parameters: true, buffers: false, persistentOnly: false).filter {
      seen.insert(ObjectIdentifier($0.tensor)).inserted
    }
  }

  /// All parameters, shared ones once.
  public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

  /// Parameters that require gradients (what optimizers and EMA track).
  public func trainableParameters() -> [NamedTensor] {
    namedParameters().filter { $0.tensor.requiresGrad }
  }

  /// Buffers with dotted names (`named_buffers()`), persistent or not.
  public func namedBuffers() -> [NamedTensor] {
    namedTensors(parameters: false, buffers: true, persistentOnly: false)
  }

  /// Number of parameter elements (trainable only when `trainableOnly`).
  public func parameterCount(trainableOnly: Bool = false) -> Int {
    namedParameters().filter { !trainableOnly || $0.tensor.requiresGrad }.reduce(0) { $0 + $1.tensor.count }
  }

  /// Stops gradients for every parameter (`requires_grad_(False)`), or re-enables them.
  public func freeze(_ frozen: Bool = true) {
    for (_, tensor) in namedParameters() where tensor.dtype.isFloatingPoint { tensor.requiresGrad = !frozen }
  }

  /// Clears every parameter's gradient (`zero_grad(set_to_none=True)`).
  public func zeroGrad() {
    for (_, tensor) in namedParameters() { tensor.grad = nil }
  }

  /// Moves parameters and buffers to `device` and converts floating-point ones to `dtype`, as
  /// `module.to(device, dtype)`. Parameters stay trainable leaves with the same `requiresGrad`.
  public func to(device: Device? = nil, dtype: DType? = nil) {
    visitModules { _, module in
      for entry in module.registeredEntries() {
        let slot: any TensorSlot
        switch entry {
        case .parameter(let p): slot = p
        case .buffer(let b): slot = b
        case .child: continue
        }
        guard let tensor = slot.tensor else { continue }
        let target = tensor.dtype.isFloatingPoint ? dtype : nil
        guard (device != nil && device != tensor.device) || (target != nil && target != tensor.dtype) else { continue }
        let moved = withNoGrad { tensor.to(dtype: target, device: device) }
        if case .parameter = entry { moved.requiresGrad = tensor.requiresGrad }
        slot.tensor = moved
      }
    }
  }

  func namedTensors(parameters: Bool, buffers: Bool, persistentOnly: Bool) -> [NamedTensor] {
    var result: [NamedTensor] = []
    visitModules { prefix, module in
      for entry in module.registeredEntries() {
        let name: String
        let tensor: Tensor?
        switch entry {
        case .parameter(let slot) where parameters:
          (name, tensor) = (slot.slotName, slot.tensor)
        case .buffer(let slot) where buffers && (!persistentOnly || slot.isPersistent):
          (name, tensor) = (slot.slotName, slot.tensor)
        default:
          continue
        }
        if let tensor { result.append((prefix.isEmpty ? name : "\(prefix).\(name)", tensor)) }
      }
    }
    return result
  }
}

/// The property-wrapper slots a module declares (the wrapper objects live as long as the module, so they
/// can be kept; a child slot's module is read at each traversal, as it may be reassigned).
private struct DeclaredSlots {
  /// Parameters then buffers, each in declaration order (base classes first, as their `__init__` runs first).
  let tensorEntries: [ModuleEntry]
  let children: [any ModuleSlot]

  init(reflecting module: Module) {
    var mirrors: [Mirror] = []
    var mirror: Mirror? = Mirror(reflecting: module)
    while let current = mirror {
      mirrors.append(current)
      mirror = current.superclassMirror
    }
    var parameters: [ModuleEntry] = []
    var buffers: [ModuleEntry] = []
    var children: [any ModuleSlot] = []
    for mirror in mirrors.reversed() {
      for child in mirror.children {
        switch child.value {
        case let slot as TensorSlot & AnyParameterSlot: parameters.append(.parameter(slot))
        case let slot as TensorSlot & AnyBufferSlot: buffers.append(.buffer(slot))
        case let slot as ModuleSlot: children.append(slot)
        default: break
        }
      }
    }
    tensorEntries = parameters + buffers
    self.children = children
  }
}

/// One registered item of a module.
public enum ModuleEntry {
  case parameter(any TensorSlot & AnyParameterSlot)
  case buffer(any TensorSlot & AnyBufferSlot)
  case child(name: String, module: Module)
}

/// Marks parameter slots (whatever their value type) for traversal.
public protocol AnyParameterSlot: AnyObject {}
/// Marks buffer slots (whatever their value type) for traversal.
public protocol AnyBufferSlot: AnyObject {
  var isPersistent: Bool { get }
}

extension Parameter: AnyParameterSlot {}
extension Buffer: AnyBufferSlot {}
