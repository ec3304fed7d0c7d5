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

  /// The cut window, with the base window's report and lead mask.
  func window(at index: Int, includingReport: Bool) throws -> ECGWindow {
    let whole = try base.window(at: index, includingReport: includingReport)
    var cut = whole.withView { prefix(of: $0) }
    cut.leadMask = whole.leadMask
    return cut
  }

  func withWindow<R>(at index: Int, includingReport: Bool, _ body: (WindowView) throws -> R) throws -> R {
    // From the base's view (a store's mapped memory): one copy, of the prefix only.
    try base.withWindow(at: index, includingReport: includingReport) { try prefix(of: $0).withView(body) }
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
