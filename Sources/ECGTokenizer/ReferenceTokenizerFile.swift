import SafePickle

extension ECGByteTokenizer {
  /// Reads the reference's pickled `(vocab, merges)` tokenizer (e.g. `ecg_byte_tokenizer_10000.pkl`) with the safe
  /// unpickler; `vocab` must agree with the merges' spellings.
  public init(referencePickle bytes: [UInt8]) throws {
    let value: PickleValue
    do {
      value = try Unpickler(globals: .plain).load(bytes)
    } catch {
      throw TokenizerError("not a reference ECG-Byte tokenizer pickle: \(error)")
    }
    guard case .tuple(let parts) = value, parts.count == 2, case .dict(let vocabEntries) = parts[0],
      case .list(let mergeEntries) = parts[1]
    else {
      throw TokenizerError(
        "not a reference ECG-Byte tokenizer pickle: expected a (vocab dict, merges list) tuple, found \(value.typeDescription)"
      )
    }
    var merges: [Merge] = []
    merges.reserveCapacity(mergeEntries.count)
    for (index, entry) in mergeEntries.enumerated() {
      guard case .tuple(let fields) = entry, fields.count == 2, let byteValues = fields[0].sequenceElements,
        let id = fields[1].intValue
      else { throw TokenizerError("reference tokenizer merge \(index) is not a (list of bytes, id) tuple") }
      let spelling = try byteValues.map { value -> UInt8 in
        guard let byte = value.intValue, (0...255).contains(byte) else {
          throw TokenizerError("reference tokenizer merge \(index) has a non-byte value \(value)")
        }
        return UInt8(byte)
      }
      merges.append(Merge(id: TokenID(truncatingIfNeeded: id), spelling: spelling))
    }
    try self.init(merges: merges)
    guard vocabEntries.count == vocabularySize else {
      throw TokenizerError(
        "reference tokenizer vocab has \(vocabEntries.count) entries, expected \(vocabularySize) (256 + merges)")
    }
    for entry in vocabEntries {
      guard let id = entry.key.intValue, let text = entry.value.stringValue,
        let expected = vocabularyString(of: TokenID(truncatingIfNeeded: id)), text == expected
      else { throw TokenizerError("reference tokenizer vocab entry \(entry.key) does not match its merge spelling") }
    }
  }
}
