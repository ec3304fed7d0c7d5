import Testing
import Torch

/// Declares a child and a buffer before its parameter: PyTorch lists own parameters, then own buffers, then
/// children, whatever the order of the Swift declarations.
private final class ChildFirst: Module {
  @Child("proj") var projection = Linear(2, 3)
  @Buffer("steps") var steps = Tensor.zeros([1])
  @Parameter("scale") var scale = Tensor.ones([3])
  @Child("norm") var norm: LayerNorm? = nil
  @Child("act") var activation: any UnaryLayer = GELU()
}

private final class NotAModule: Module {
  @Child("count") var count = 3
}

private final class NeverSet: Module {
  @Child("proj") var projection: Linear
  override init() { super.init() }
}

@Suite struct ModuleRegistrationTests {
  @Test func ownParametersThenBuffersThenChildren() {
    let module = ChildFirst()
    #expect(module.stateDict().names == ["scale", "steps", "proj.weight", "proj.bias"])
    #expect(module.namedParameters().map(\.name) == ["scale", "proj.weight", "proj.bias"])
    #expect(module.namedBuffers().map(\.name) == ["steps"])
    #expect(module.namedModules().map(\.name) == ["", "proj", "act"])
  }

  @Test func childrenAssignedAfterFirstUseAreSeen() {
    let module = ChildFirst()
    #expect(module.stateDict().count == 4)
    module.norm = LayerNorm(3)
    module.projection = Linear(2, 3, bias: false)
    #expect(module.stateDict().names == ["scale", "steps", "proj.weight", "norm.weight", "norm.bias"])
    module.norm = nil
    #expect(module.stateDict().names == ["scale", "steps", "proj.weight"])
  }

  @Test func repeatedTraversalsGiveTheSameTensors() {
    let module = ChildFirst()
    let first = module.namedParameters()
    let second = module.namedParameters()
    #expect(first.map(\.name) == second.map(\.name))
    #expect(zip(first, second).allSatisfy { $0.tensor === $1.tensor })
  }

  @Test func aChildThatIsNotAModuleTraps() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = NotAModule()
    }
  }

  @Test func aRequiredChildNeverSetTrapsWhenTraversed() async {
    await #expect(processExitsWith: .failure) {
      _ = NeverSet().namedParameters()
    }
  }
}
