/// Named tensors in order, like PyTorch's `OrderedDict` state dicts.
public struct StateDict: Sendable, Sequence {
  public private(set) var entries: [NamedTensor]
  private var positions: [String: Int]

  public init(_ entries: [NamedTensor] = []) {
    self.entries = []
    positions = [:]
    for (name, tensor) in entries { self[name] = tensor }
  }

  public var names: [String] { entries.map(\.name) }
  public var count: Int { entries.count }

  /// The tensor under `name`; assigning appends a new name at the end or replaces in place.
  public subscript(name: String) -> Tensor? {
    get { positions[name].map { entries[$0].tensor } }
    set {
      if let index = positions[name] {
        if let newValue {
          entries[index].tensor = newValue
        } else {
          entries.remove(at: index)
          positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
        }
      } else if let newValue {
        positions[name] = entries.count
        entries.append((name, newValue))
      }
    }
  }

  public func makeIterator() -> IndexingIterator<[NamedTensor]> { entries.makeIterator() }

  /// The entries whose names start with `prefix`, with the prefix removed (e.g. "model." from a wrapper).
  public func stripping(prefix: String) -> StateDict {
    StateDict(
      entries.compactMap { $0.name.hasPrefix(prefix) ? (String($0.name.dropFirst(prefix.count)), $0.tensor) : nil })
  }
}

/// What `Module.load(stateDict:strict:)` found: keys the module has but the dict lacks, keys the dict has
/// but the module lacks, and keys whose shapes differ.
public struct LoadReport: Sendable, Equatable, CustomStringConvertible {
  public var missing: [String] = []
  public var unexpected: [String] = []
  public var shapeMismatches: [ShapeMismatch] = []

  public struct ShapeMismatch: Sendable, Equatable {
    public let name: String
    public let expected: [Int]
    public let found: [Int]

    public init(name: String, expected: [Int], found: [Int]) {
      self.name = name
      self.expected = expected
      self.found = found
    }
  }

  public var isClean: Bool { missing.isEmpty && unexpected.isEmpty && shapeMismatches.isEmpty }

  public var description: String {
    var lines: [String] = []
    if !missing.isEmpty { lines.append("missing keys: \(missing.joined(separator: ", "))") }
    if !unexpected.isEmpty { lines.append("unexpected keys: \(unexpected.joined(separator: ", "))") }
    for m in shapeMismatches {
      lines.append("size mismatch for \(m.name): the checkpoint has \(m.found), the model has \(m.expected)")
    }
    return lines.isEmpty ? "all keys matched" : lines.joined(separator: "\n")
  }
}

/// A state dict that does not fit a module.
public struct StateDictMismatch: Error, CustomStringConvertible, Sendable {
  public let report: LoadReport
  public var description: String { "the state dict does not match the model:\n\(report)" }
}

extension Module {
  /// Persistent parameters and buffers with dotted names in PyTorch's `state_dict()` order (shared tensors
  /// appear under every name).
  public func stateDict() -> StateDict {
    var result: [NamedTensor] = []
    visitModules { prefix, module in
      for entry in module.registeredEntries() {
        let slot: any TensorSlot
        switch entry {
        case .parameter(let p): slot = p
        case .buffer(let b) where b.isPersistent: slot = b
        default: continue
        }
        if let tensor = slot.tensor {
          result.append((prefix.isEmpty ? slot.slotName : "\(prefix).\(slot.slotName)", tensor))
        }
      }
    }
    return StateDict(result)
  }

  /// Copies the values of `stateDict` into the module's parameters and buffers (converting dtype and
  /// device to the module's). In strict mode any missing, unexpected or mis-shaped key throws
  /// `StateDictMismatch` before anything is copied; otherwise matching keys are loaded and the rest reported.
  @discardableResult
  public func load(stateDict: StateDict, strict: Bool = true) throws -> LoadReport {
    let own = self.stateDict()
    var report = LoadReport()
    let ownNames = Set(own.names)
    report.unexpected = stateDict.names.filter { !ownNames.contains($0) }
    var pairs: [(Tensor, Tensor)] = []
    for (name, target) in own {
      guard let source = stateDict[name] else {
        report.missing.append(name)
        continue
      }
      guard source.shape == target.shape else {
        report.shapeMismatches.append(.init(name: name, expected: target.shape, found: source.shape))
        continue
      }
      pairs.append((target, source))
    }
    if strict && !report.isClean { throw StateDictMismatch(report: report) }
    withNoGrad {
      for (target, source) in pairs { target.copy(from: source) }
    }
    return report
  }
}
