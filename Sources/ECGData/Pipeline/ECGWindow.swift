/// One ECG window as the training pipeline sees it, before any representation.
public struct ECGWindow: Sendable {
  /// Identifier for messages (e.g. the record id and window number).
  public var id: String
  /// Lead-major samples: `leads` rows of `length` values.
  public var values: [Float]
  public var leads: Int
  public var length: Int
  /// Free-text report ("" when none).
  public var report: String
  /// Which of the 12 standard leads hold data (the store's `lead_mask`; an absent lead is zeros); nil when
  /// unknown (read without the index line) or every lead is present.
  public var leadMask: [Bool]?

  public init(id: String, values: [Float], leads: Int, length: Int, report: String = "", leadMask: [Bool]? = nil) {
    precondition(values.count == leads * length, "window \(id): \(values.count) values for \(leads) × \(length)")
    self.id = id
    self.values = values
    self.leads = leads
    self.length = length
    self.report = report
    self.leadMask = leadMask
  }
}

/// A window's samples in place, handed to a closure (a store's mapped memory, or an `ECGWindow`'s array):
/// what the loader reads without copying. Valid only during the call that hands it out.
public struct WindowView {
  public var id: String
  /// Lead-major samples: `leads` rows of `length` values.
  public var values: UnsafeBufferPointer<Float>
  public var leads: Int
  public var length: Int
  public var report: String

  public init(id: String, values: UnsafeBufferPointer<Float>, leads: Int, length: Int, report: String = "") {
    precondition(values.count == leads * length, "window \(id): \(values.count) values for \(leads) × \(length)")
    self.id = id
    self.values = values
    self.leads = leads
    self.length = length
    self.report = report
  }

  /// An owned copy (for augmentation, which changes the samples).
  public func copied() -> ECGWindow {
    ECGWindow(id: id, values: Array(values), leads: leads, length: length, report: report)
  }
}

extension ECGWindow {
  /// Calls `body` with a view of this window's samples.
  public func withView<R>(_ body: (WindowView) throws -> R) rethrows -> R {
    try values.withUnsafeBufferPointer { buffer in
      try body(WindowView(id: id, values: buffer, leads: leads, length: length, report: report))
    }
  }
}

/// Anything that serves ECG windows by index: a dataset store, a reference `.npy` folder, synthetic data.
public protocol ECGWindowSource: Sendable {
  var count: Int { get }
  /// The window at `index`; throws when it cannot be read (the loader reports and skips it).
  func window(at index: Int) throws -> ECGWindow
  /// The window at `index`, where sources may skip reading its report (and other metadata) when
  /// `includingReport` is false: the loader asks so when the task uses no text.
  func window(at index: Int, includingReport: Bool) throws -> ECGWindow
  /// Calls `body` with the window at `index` in place; sources that hold their samples in memory (a store)
  /// hand them out without a copy. The default reads `window(at:includingReport:)`.
  func withWindow<R>(at index: Int, includingReport: Bool, _ body: (WindowView) throws -> R) throws -> R
}

extension ECGWindowSource {
  public func window(at index: Int, includingReport: Bool) throws -> ECGWindow { try window(at: index) }

  public func withWindow<R>(at index: Int, includingReport: Bool, _ body: (WindowView) throws -> R) throws -> R {
    try window(at: index, includingReport: includingReport).withView(body)
  }
}

/// A window that could not be turned into a training item.
public struct SampleError: Error, CustomStringConvertible, Sendable {
  public let id: String
  public let reason: String
  public init(id: String, reason: String) {
    self.id = id
    self.reason = reason
  }
  public var description: String { "\(id): \(reason)" }
}
