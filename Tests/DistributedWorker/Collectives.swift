import Torch

/// Values every collective must produce on every rank; stops the worker at the first difference.
enum Collectives {
  static func check(_ group: ProcessGroup) throws {
    let rank = Double(group.rank)
    let world = Double(group.worldSize)

    let summed = Tensor([Float(rank + 1), Float(2 * rank)], shape: [2])
    try group.allReduce([summed])
    expect(summed.floats(), [Float(world * (world + 1) / 2), Float(world * (world - 1))], "all_reduce sum")

    let largest = Tensor([Float(rank)], shape: [1])
    try group.allReduce([largest], .max)
    expect(largest.floats(), [Float(world - 1)], "all_reduce max")

    let broadcast = Tensor([Float(rank + 10)], shape: [1])
    try group.broadcast([broadcast], from: 1)
    expect(broadcast.floats(), [11], "broadcast from rank 1")
    expect([try group.broadcast(group.rank == 0, from: 0) ? 1 : 0], [1], "broadcast of a flag")
    expect([Float(try group.mean(rank))], [Float((world - 1) / 2)], "mean")

    // Gathered rows in rank order; the gradient of Σ (gathered · weights) to this rank's rows is the sum over
    // ranks of the weights of those rows (each rank uses the same weights here, so world × weights).
    let rows = Tensor([Float(rank), Float(rank)], shape: [1, 2]).requiringGrad()
    let gathered = try group.allGather(rows, differentiable: true)
    expect(gathered.detach().floats(), (0..<group.worldSize).flatMap { [Float($0), Float($0)] }, "all_gather")
    let weights = Tensor((0..<(2 * group.worldSize)).map { Float($0) }, shape: [group.worldSize, 2])
    (gathered * weights).sum().backward()
    let mine = [Float(2 * group.rank), Float(2 * group.rank + 1)].map { $0 * Float(world) }
    expect(rows.grad!.floats(), mine, "all_gather gradient")

    try group.barrier()
  }

  static func expect(_ actual: [Float], _ expected: [Float], _ what: String) {
    guard actual.count == expected.count, zip(actual, expected).allSatisfy({ abs($0 - $1) < 1e-5 }) else {
      fail("rank: \(what) gave \(actual), expected \(expected)")
    }
  }
}
