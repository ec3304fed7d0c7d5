/// Values a parameter or buffer slot can hold: a tensor, or an optional tensor for entries PyTorch
/// registers as `None` (e.g. `bias=False`), which then have no state-dict key.
public protocol TensorSlotValue {
  var slotTensor: Tensor? { get }
  /// The slot's content as this type; `name` is for the message when a required tensor is missing.
  static func fromSlot(_ tensor: Tensor?, name: String) -> Self
}

extension Tensor: TensorSlotValue {
  public var slotTensor: Tensor? { self }
  public static func fromSlot(_ tensor: Tensor?, name: String) -> Self {
    guard let tensor else { preconditionFailure("tensor '\(name)' was read before it was set") }
    return tensor as! Self
  }
}

extension Optional: TensorSlotValue where Wrapped == Tensor {
  public var slotTensor: Tensor? { self }
  public static func fromSlot(_ tensor: Tensor?, name: String) -> Self { tensor }
}

/// Type-erased access to a `@Parameter` or `@Buffer` slot, for module traversal.
public protocol TensorSlot: AnyObject {
  var slotName: String { get }
  var tensor: Tensor? { get set }
}

/// Type-erased access to a `@Child` slot.
public protocol ModuleSlot: AnyObject {
  var slotName: String { get }
  var module: Module? { get }
}

/// A learnable tensor of a `Module`, registered under its PyTorch name:
///
///     @Parameter("in_proj_weight") var inProjWeight: Tensor
///     @Parameter("bias") var bias: Tensor?     // nil: no parameter, like bias=False
@propertyWrapper
public final class Parameter<Value: TensorSlotValue>: TensorSlot {
  public let slotName: String
  public var tensor: Tensor?

  /// A slot set later (in the module's `init`, after `super.init()`).
  public init(_ name: String) {
    slotName = name
  }

  public init(wrappedValue: Value, _ name: String) {
    slotName = name
    self.wrappedValue = wrappedValue
  }

  /// Assigning makes the tensor a trainable leaf, like wrapping it in `nn.Parameter`.
  public var wrappedValue: Value {
    get { Value.fromSlot(tensor, name: slotName) }
    set {
      tensor = newValue.slotTensor.map { $0.isLeaf ? $0 : $0.detach() }
      if let tensor, tensor.dtype.isFloatingPoint, !tensor.requiresGrad { tensor.requiresGrad = true }
    }
  }
}

/// A non-learnable tensor of a `Module` (running statistics, fixed tables), registered under its PyTorch
/// name. Non-persistent buffers are left out of the state dict, as `register_buffer(..., persistent=False)`.
@propertyWrapper
public final class Buffer<Value: TensorSlotValue>: TensorSlot {
  public let slotName: String
  public let isPersistent: Bool
  public var tensor: Tensor?

  /// A slot set later (in the module's `init`, after `super.init()`).
  public init(_ name: String, persistent: Bool = true) {
    slotName = name
    isPersistent = persistent
  }

  public init(wrappedValue: Value, _ name: String, persistent: Bool = true) {
    slotName = name
    isPersistent = persistent
    tensor = wrappedValue.slotTensor
  }

  public var wrappedValue: Value {
    get { Value.fromSlot(tensor, name: slotName) }
    set { tensor = newValue.slotTensor }
  }
}

/// A submodule of a `Module`, registered under its PyTorch attribute name:
///
///     @Child("self_attn") var selfAttention = MultiheadAttention(embedDim: 64, heads: 4)
///     @Child("out_proj") var outProj: Linear      // set in init, after super.init()
///     @Child("norm") var norm: LayerNorm? = nil   // nil: no submodule
///     @Child("act") var activation: any UnaryLayer = GELU()
///
/// Only modules can be children: storing anything else (`@Child("n") var n = 3`) traps at once with the
/// slot's name, and traversing a module whose non-optional child was never set traps too, so a slot never
/// silently registers nothing. (The check is dynamic because `any UnaryLayer` and other module existentials
/// cannot satisfy a generic constraint.)
@propertyWrapper
public final class Child<Value>: ModuleSlot {
  public let slotName: String
  private var storage: Value?

  public init(wrappedValue: Value, _ name: String) {
    slotName = name
    _ = Self.module(in: wrappedValue, name: name)
    storage = wrappedValue
  }

  /// A slot set later (in the module's `init`, after `super.init()`).
  public init(_ name: String) {
    slotName = name
  }

  public var wrappedValue: Value {
    get {
      guard let storage else { preconditionFailure("submodule '\(slotName)' was used before it was set") }
      return storage
    }
    set {
      _ = Self.module(in: newValue, name: slotName)
      storage = newValue
    }
  }

  /// The submodule, or nil for an optional slot holding nil; traps for a required slot never set.
  public var module: Module? {
    guard let storage else {
      if Value.self is any OptionalChildValue.Type { return nil }
      preconditionFailure("submodule '\(slotName)' is registered but was never set: assign it in init")
    }
    return Self.module(in: storage, name: slotName)
  }

  /// The module inside `value` (nil for an empty optional); traps when `value` is not a module.
  private static func module(in value: Value, name: String) -> Module? {
    if let module = value as? Module { return module }
    if let optional = value as? any OptionalChildValue, optional.isEmpty { return nil }
    preconditionFailure(
      "@Child(\"\(name)\") holds a \(type(of: value)), which is not a Module: only modules can be submodules")
  }
}

/// Lets `Child` tell an empty optional slot from a value that is not a module.
protocol OptionalChildValue {
  var isEmpty: Bool { get }
}

extension Optional: OptionalChildValue {
  var isEmpty: Bool { self == nil }
}
