import Testing
import Torch

@Suite struct IndexingTests {
  let grid = Tensor.arange(0, 12).reshape(3, 4)  // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]

  @Test func reshapeViewTransposePermute() {
    #expect(grid.view(4, 3).shape == [4, 3])
    #expect(grid.reshape(-1).shape == [12])
    let t = grid.transposed(0, 1)
    #expect(t.shape == [4, 3])
    #expect(!t.isContiguous)
    #expect(t.contiguous().ints() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    #expect(grid.T.shape == [4, 3])
    #expect(Tensor.arange(0, 24).reshape(2, 3, 4).permute(2, 0, 1).shape == [4, 2, 3])
  }

  @Test func subscriptsWithIntsRangesAndSteps() {
    #expect(grid[1].ints() == [4, 5, 6, 7])
    #expect(grid[1, 2].itemInt() == 6)
    #expect(grid[-1].ints() == [8, 9, 10, 11])
    #expect(grid[0..<2, 1...2].ints() == [1, 2, 5, 6])
    #expect(grid[TensorIndex.all, TensorIndex.stride(nil, nil, by: 2)].ints() == [0, 2, 4, 6, 8, 10])
    #expect(grid[TensorIndex.stride(1, nil, by: 1), 3].ints() == [7, 11])
    #expect(grid[..<1].shape == [1, 4])
    #expect(grid[2...].shape == [1, 4])
    #expect(grid[TensorIndex.newAxis].shape == [1, 3, 4])
    #expect(grid[TensorIndex.ellipsis, 0].ints() == [0, 4, 8])
    #expect(grid[1].sharesStorage(with: grid))
  }

  @Test func narrowSelectIndexSelectGatherScatter() {
    #expect(grid.narrow(dim: 1, start: 1, length: 2).ints() == [1, 2, 5, 6, 9, 10])
    #expect(grid.select(dim: 1, index: 3).ints() == [3, 7, 11])
    #expect(grid.indexSelect(dim: 0, index: Tensor([2, 0] as [Int64])).ints() == [8, 9, 10, 11, 0, 1, 2, 3])
    let index = Tensor([0, 3, 1, 1, 2, 0] as [Int64], shape: [3, 2])
    #expect(grid.gather(dim: 1, index: index).ints() == [0, 3, 5, 5, 10, 8])
    let scattered = Tensor.zeros([2, 3]).scatter(
      dim: 1, index: Tensor([2, 0, 1, 1] as [Int64], shape: [2, 2]),
      source: Tensor([1, 2, 3, 4] as [Float], shape: [2, 2]))
    #expect(scattered.floats() == [2, 0, 1, 0, 4, 0])
    let added = Tensor.zeros([3]).scatterAdd(
      dim: 0, index: Tensor([0, 0, 2] as [Int64]), source: Tensor([1, 2, 3] as [Float]))
    #expect(added.floats() == [3, 0, 3])
  }

  @Test func booleanMasksSelectAndAssign() {
    let x = Tensor([1, -2, 3, -4] as [Float])
    let negative = x < 0
    #expect(negative.dtype == .bool)
    #expect(x.maskedSelect(negative).floats() == [-2, -4])
    #expect(x[negative].floats() == [-2, -4])
    #expect(x.maskedFill(negative, 0).floats() == [1, 0, 3, 0])
    let y = x.clone()
    y.fill(at: negative, with: 9)
    #expect(y.floats() == [1, 9, 3, 9])
    let z = x.clone()
    z[negative] = Tensor([7, 8] as [Float])
    #expect(z.floats() == [1, 7, 3, 8])
    let rows = grid.clone()
    rows[1] = Tensor.zeros([4], dtype: .int64)
    #expect(rows[1].ints() == [0, 0, 0, 0])
    #expect(Tensor.where(negative, -x, x).floats() == [1, 2, 3, 4])
  }

  @Test func expandSqueezeFlatten() {
    let column = Tensor([1, 2] as [Float], shape: [2, 1])
    #expect(column.expand([2, 3]).floats() == [1, 1, 1, 2, 2, 2])
    #expect(column.squeeze().shape == [2])
    #expect(column.squeeze(1).shape == [2])
    #expect(column.unsqueeze(0).shape == [1, 2, 1])
    #expect(Tensor.zeros([2, 3, 4]).flatten(startDim: 1).shape == [2, 12])
  }

  @Test func catStackChunkSplit() {
    let a = Tensor([1, 2] as [Float])
    let b = Tensor([3, 4] as [Float])
    #expect(Tensor.cat([a, b]).floats() == [1, 2, 3, 4])
    #expect(Tensor.stack([a, b], dim: 1).floats() == [1, 3, 2, 4])
    let parts = Tensor.arange(0, 7).chunk(3)
    #expect(parts.map { $0.ints() } == [[0, 1, 2], [3, 4, 5], [6]])
    #expect(Tensor.arange(0, 5).split(2).map { $0.ints() } == [[0, 1], [2, 3], [4]])
    #expect(Tensor.arange(0, 5).split(sizes: [1, 4]).map(\.count) == [1, 4])
  }

  @Test func triangles() {
    let ones = Tensor.ones([3, 3])
    #expect(ones.triu().floats() == [1, 1, 1, 0, 1, 1, 0, 0, 1])
    #expect(ones.tril(-1).floats() == [0, 0, 0, 1, 0, 0, 1, 1, 0])
    #expect(ones.triu(1).floats() == [0, 1, 1, 0, 0, 1, 0, 0, 0])
  }
}
