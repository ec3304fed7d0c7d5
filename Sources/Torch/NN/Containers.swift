/// A module with one input and one output, usable inside `Sequential`.
public protocol UnaryLayer: Module {
  func callAsFunction(_ input: Tensor) -> Tensor
}

/// Runs its layers in order; they are registered as `0`, `1`, … (`nn.Sequential`).
public final class Sequential: Module, UnaryLayer {
  public let layers: [any UnaryLayer]

  public init(_ layers: [any UnaryLayer]) {
    self.layers = layers
    super.init()
  }

  public convenience init(_ layers: any UnaryLayer...) { self.init(layers) }

  override public func registeredEntries() -> [ModuleEntry] {
    layers.enumerated().map { .child(name: String($0.offset), module: $0.element) }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { $1($0) }
  }
}

/// A list of submodules registered as `0`, `1`, … (`nn.ModuleList`).
public final class ModuleList<Element: Module>: Module, RandomAccessCollection {
  public private(set) var modules: [Element]

  public init(_ modules: [Element] = []) {
    self.modules = modules
    super.init()
  }

  override public func registeredEntries() -> [ModuleEntry] {
    modules.enumerated().map { .child(name: String($0.offset), module: $0.element) }
  }

  public func append(_ module: Element) { modules.append(module) }

  public var startIndex: Int { modules.startIndex }
  public var endIndex: Int { modules.endIndex }
  public subscript(position: Int) -> Element { modules[position] }
}
