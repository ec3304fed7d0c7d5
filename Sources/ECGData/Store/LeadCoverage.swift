/// How many of a set of windows hold each lead; the others lack it (`lead_mask` false: the record had no such
/// lead, and the store holds zeros in its place).
public struct LeadCoverage: Sendable, Equatable {
  /// The leads counted, in order.
  public let names: [String]
  /// Windows counted.
  public private(set) var windows = 0
  /// Per lead of `names`, the windows that hold it.
  public private(set) var windowsWithLead: [Int]

  /// No window counted yet.
  public init(names: [String]) {
    self.names = names
    windowsWithLead = [Int](repeating: 0, count: names.count)
  }

  /// `windows` windows, of which `absent[name]` lack lead `name` (a store's `absentLeadWindows()`).
  public init(names: [String], windows: Int, absent: [String: Int]) {
    self.names = names
    self.windows = windows
    windowsWithLead = names.map { windows - absent[$0, default: 0] }
  }

  /// Counts one window; `present[i]` says whether it holds lead `names[i]`.
  public mutating func add(present: [Bool]) {
    precondition(present.count == names.count, "\(present.count) lead flags for \(names.count) leads")
    windows += 1
    for (i, holds) in present.enumerated() where holds { windowsWithLead[i] += 1 }
  }

  /// Whether every window holds every lead.
  public var isComplete: Bool { windowsWithLead.allSatisfy { $0 == windows } }

  /// The leads no window holds.
  public var leadsAbsentEverywhere: [String] { zip(names, windowsWithLead).filter { $0.1 == 0 }.map(\.0) }

  /// The absent leads grouped by how many windows lack them, e.g. "III aVR aVL aVF absent in 3 of 3 windows;
  /// V6 absent in 1 of 3 windows"; nil when every window holds every lead.
  public var absenceSummary: String? {
    guard !isComplete else { return nil }
    let missing = windowsWithLead.map { windows - $0 }
    return Set(missing.filter { $0 > 0 }).sorted(by: >).map { count in
      let leads = zip(names, missing).filter { $0.1 == count }.map(\.0)
      return "\(leads.joined(separator: " ")) absent in \(count) of \(windows) windows"
    }.joined(separator: "; ")
  }
}
