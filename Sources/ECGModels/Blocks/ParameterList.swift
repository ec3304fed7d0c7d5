import Torch

/// Parameters registered as `0`, `1`, … (`nn.ParameterList`), e.g. ST-MEM's `lead_embeddings.{c}`.
public final class ParameterList: Module {
  private let slots: [Parameter<Tensor>]

  public init(_ tensors: [Tensor]) {
    slots = tensors.enumerated().map { Parameter(wrappedValue: $0.element, String($0.offset)) }
    super.init()
  }

  /// The parameters in order.
  public var tensors: [Tensor] { slots.map(\.wrappedValue) }

  override public func registeredEntries() -> [ModuleEntry] { slots.map { .parameter($0) } }
}
