import ECGData

/// A source whose windows keep only the first `length` samples of every lead: how a shorter `--segment_len`
/// trains on a store of longer windows when the representation does not cut them itself (the symbolic one,
/// whose signal head's position table holds `--segment_len` rows).
struct PrefixWindowSource: ECGWindowSource {
  let base: any ECGWindowSource
  let length: Int

  var count: Int { base.count }

  func window(at index: Int) throws -> ECGWindow {
    try window(at: index, includingReport: true)
  }

  func window(at index: Int, includingReport: Bool) throws -> ECGWindow {
    try base.withWindow(at: index, includingReport: includingReport) { prefix(of: $0) }
  }

  func withWindow<R>(at index: Int, includingReport: Bool, _ body: (WindowView) throws -> R) throws -> R {
    try window(at: index, includingReport: includingReport).withView(body)
  }

  private func prefix(of window: WindowView) -> ECGWindow {
    guard window.length > length else { return window.copied() }
    var values: [Float] = []
    values.reserveCapacity(window.leads * length)
    for lead in 0..<window.leads {
      let start = lead * window.length
      values.append(contentsOf: window.values[start..<(start + length)])
    }
    return ECGWindow(id: window.id, values: values, leads: window.leads, length: length, report: window.report)
  }
}
