import ECGData

/// The downstream tasks `ecg eval --task classification --labels …` knows (classification.md §1).
public enum ClassificationLabelSet: String, Sendable, Codable, CaseIterable {
  case ptbxlSuper = "ptbxl_super"
  case ptbxlSub = "ptbxl_sub"
  case ptbxlForm = "ptbxl_form"
  case ptbxlRhythm = "ptbxl_rhythm"
  case cpsc2018
  case csn
  /// The labels `ecg data synth` writes (SB, NSR, STach, LAD, RAD, LowQRS, WideQRS).
  case synthetic

  /// The store source whose records carry these labels.
  public var storeSource: String {
    switch self {
    case .ptbxlSuper, .ptbxlSub, .ptbxlForm, .ptbxlRhythm: SourceKind.ptbXL.rawValue
    case .cpsc2018: SourceKind.cpsc.rawValue
    case .csn: SourceKind.csn.rawValue
    case .synthetic: SyntheticDataset.sourceName
    }
  }

  /// The PTB-XL task behind a PTB-XL label set.
  public var ptbxlTask: PTBXLTask? {
    switch self {
    case .ptbxlSuper: .superdiagnostic
    case .ptbxlSub: .subdiagnostic
    case .ptbxlForm: .form
    case .ptbxlRhythm: .rhythm
    default: nil
    }
  }

  /// The task's name in MERL's tables, nil for the synthetic labels.
  public var merlName: String? {
    switch self {
    case .ptbxlSuper: "PTBXL-Super"
    case .ptbxlSub: "PTBXL-Sub"
    case .ptbxlForm: "PTBXL-Form"
    case .ptbxlRhythm: "PTBXL-Rhythm"
    case .cpsc2018: "CPSC2018"
    case .csn: "CSN"
    case .synthetic: nil
    }
  }

  /// What `ecg preprocess` must have read for this label set, for error messages.
  var storeHint: String {
    switch self {
    case .synthetic: "a store written by `ecg data synth`"
    default: "a store preprocessed from \(storeSource) records (`ecg preprocess --source \(storeSource)`)"
    }
  }

  /// What every label set needs, grouped by store source, for the message when none fits a store: "ptbxl_super,
  /// ptbxl_sub, ptbxl_form and ptbxl_rhythm need a store preprocessed from ptb_xl records (…); cpsc2018 needs …".
  static var requirements: String {
    var groups: [(sets: [String], hint: String)] = []
    for labelSet in allCases {
      if let last = groups.indices.last, groups[last].hint == labelSet.storeHint {
        groups[last].sets.append(labelSet.rawValue)
      } else {
        groups.append(([labelSet.rawValue], labelSet.storeHint))
      }
    }
    return groups.map { group in
      let names =
        group.sets.count == 1
        ? group.sets[0] : group.sets.dropLast().joined(separator: ", ") + " and " + group.sets.last!
      return "\(names) need\(group.sets.count == 1 ? "s" : "") \(group.hint)"
    }.joined(separator: "; ")
  }
}

/// MERL's class names drop PTB-XL's underscores (`NST_` → `NST`, `_AVB` → `AVB`; classification.md §1.1).
public func merlClassName(_ name: String) -> String { name.replacingOccurrences(of: "_", with: "") }
