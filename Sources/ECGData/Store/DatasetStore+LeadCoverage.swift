extension DatasetStore {
  /// Windows per lead name whose lead is absent (`lead_mask` false, stored as zeros); leads present in
  /// every window are not listed. From the manifest's statistics, or, for a store written before they counted
  /// absent leads, from every line of the index.
  public func absentLeadWindows() throws -> [String: Int] {
    if let counts = manifest.statistics.absentLeads { return counts }
    var counts: [String: Int] = [:]
    for index in 0..<count {
      for lead in StoreStatistics.absentLeadNames(try metadata(at: index).leadMask, leads: manifest.leads) {
        counts[lead, default: 0] += 1
      }
    }
    return counts
  }
}

extension DatasetStore {
  /// Whether the windows hold the 12 leads in the standard order (I, II, III, aVR, aVL, aVF, V1–V6); a store
  /// imported with `ecg data import --keep-lead-order` may keep the reference's order (aVL before aVR).
  public var hasStandardLeadOrder: Bool { manifest.leads == StandardLeads.names }

  /// Throws unless `hasStandardLeadOrder`, naming the store, its order and `use` (what reads leads by position).
  public func requireStandardLeadOrder(for use: String) throws {
    guard !hasStandardLeadOrder else { return }
    throw StoreError(
      "\(url.path) stores its leads as \(manifest.leads.joined(separator: " ")) (imported with --keep-lead-order), "
        + "but \(use) reads the standard order \(StandardLeads.names.joined(separator: " ")): import it again "
        + "without --keep-lead-order")
  }
}
