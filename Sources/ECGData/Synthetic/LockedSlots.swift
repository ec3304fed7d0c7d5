import Foundation

/// A fixed number of result slots that parallel workers fill.
///
/// `@unchecked Sendable` is sound: the only mutable state, `slots`, is read and written exclusively
/// while holding `lock`.
final class LockedSlots<Element: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Element?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// Stores `value` in slot `index`.
  func set(_ index: Int, _ value: Element) {
    lock.lock()
    defer { lock.unlock() }
    slots[index] = value
  }

  /// All slots; every one must have been set.
  func values() -> [Element] {
    lock.lock()
    defer { lock.unlock() }
    return slots.map { $0! }
  }
}
