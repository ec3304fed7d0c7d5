/// Points for drawing a long signal: every sample when there are at most `maxPoints`, otherwise the minimum and
/// maximum of each of `maxPoints / 2` equal buckets in time order, so peaks such as QRS complexes survive.
func decimatedPoints(_ values: [Float], start: Int = 0, samplingRate: Double, maxPoints: Int) -> [(
  x: Double, y: Double
)] {
  let count = values.count
  guard count > maxPoints, maxPoints >= 2 else {
    return values.indices.map { (x: Double(start + $0) / samplingRate, y: Double(values[$0])) }
  }
  let buckets = maxPoints / 2
  var points: [(x: Double, y: Double)] = []
  points.reserveCapacity(buckets * 2)
  for bucket in 0..<buckets {
    let lower = bucket * count / buckets
    let upper = max((bucket + 1) * count / buckets, lower + 1)
    var minIndex = lower
    var maxIndex = lower
    for index in lower..<upper {
      if values[index] < values[minIndex] { minIndex = index }
      if values[index] > values[maxIndex] { maxIndex = index }
    }
    for index in minIndex <= maxIndex ? [minIndex, maxIndex] : [maxIndex, minIndex] {
      points.append((x: Double(start + index) / samplingRate, y: Double(values[index])))
    }
  }
  return points
}
