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
@propertyWrapper
public final class Child<Value>: ModuleSlot {
  public let slotName: String
  private var storage: Value?

  public init(wrappedValue: Value, _ name: String) {
    slotName = name
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
    set { storage = newValue }
  }

  public var module: Module? {
    guard let storage else { return nil }
    return storage as? Module
  }
}
