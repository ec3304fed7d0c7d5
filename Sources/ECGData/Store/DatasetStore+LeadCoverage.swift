extension DatasetStore {
  /// Windows per standard lead name whose lead is absent (`lead_mask` false, stored as zeros); leads present in
  /// every window are not listed. From the manifest's statistics, or, for a store written before they counted
  /// absent leads, from every line of the index.
  public func absentLeadWindows() throws -> [String: Int] {
    if let counts = manifest.statistics.absentLeads { return counts }
    var counts: [String: Int] = [:]
    for index in 0..<count {
      for lead in StoreStatistics.absentLeadNames(try metadata(at: index).leadMask) { counts[lead, default: 0] += 1 }
    }
    return counts
  }
}
