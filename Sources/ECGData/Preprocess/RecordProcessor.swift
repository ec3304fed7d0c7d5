/// Turns one raw record into stored windows: checks, lead mapping, resampling, segmentation.
public struct RecordProcessor: Sendable {
  /// Output sampling rate, Hz.
  public var targetRate: Double
  /// Samples per lead per window.
  public var segmentLength: Int
  /// The order of the stored leads, by standard name (default: the standard order; a reference folder imported
  /// with `--keep-lead-order` keeps its own).
  public var leadOrder: [String]

  /// The most samples per lead a record may have after resampling (2^25: 256 MiB of doubles per lead, a 37-hour record at 250 Hz).
  public static let maximumSamplesPerLead = 1 << 25

  /// Creates a processor.
  public init(targetRate: Double = 250, segmentLength: Int = 2500, leadOrder: [String] = StandardLeads.names) {
    self.targetRate = targetRate
    self.segmentLength = segmentLength
    self.leadOrder = leadOrder
  }

  /// The windows of `record` (NaN/Inf windows dropped and counted in `summary`); throws `RecordSkip`
  /// when the record cannot be used.
  public func process(
    _ record: SourceRecord, source: any RecordSource, summary: inout PreprocessSummary
  ) throws -> [StoredWindow] {
    // Warnings count even for a record that is then skipped (a listing's file-level warnings ride on one record).
    for warning in record.warnings { summary.warn(warning) }
    // A record found broken while listing is skipped without reading it.
    if let skip = record.problem { throw skip }
    let raw: RawECG
    do {
      raw = try source.load(record)
    } catch let error as WFDBError {
      throw RecordSkip(error.kind.rawValue, error.message)
    } catch let skip as RecordSkip {
      throw skip
    } catch let error as DataSourceError {
      // Its message already names the file; a row of a multi-record file also needs its id.
      throw RecordSkip(
        "unreadable record", record.row == nil ? error.message : "\(error.message) (exam_id \(record.id))")
    } catch {
      throw RecordSkip("unreadable record", "\(record.location): \(error)")
    }
    return try cutWindows(
      of: raw, record: record, source: source.name, expectations: source.expectations, summary: &summary)
  }

  /// The windows of an already loaded record.
  public func windows(
    of raw: RawECG, record: SourceRecord, source: String, expectations: SourceExpectations,
    summary: inout PreprocessSummary
  ) throws -> [StoredWindow] {
    for warning in record.warnings { summary.warn(warning) }
    if let skip = record.problem { throw skip }
    return try cutWindows(
      of: raw, record: record, source: source, expectations: expectations, summary: &summary)
  }

  /// `windows(of:…)` without counting the record's warnings (both callers have refused a record with a problem).
  private func cutWindows(
    of raw: RawECG, record: SourceRecord, source: String, expectations: SourceExpectations,
    summary: inout PreprocessSummary
  ) throws -> [StoredWindow] {
    guard !raw.leads.isEmpty else { throw RecordSkip("no ECG leads", "\(record.location): the record has no signals") }
    guard raw.samplingRate.isFinite, raw.samplingRate > 0 else {
      throw RecordSkip("bad header", "\(record.location): sampling rate \(raw.samplingRate) Hz")
    }
    if let rate = expectations.samplingRate, raw.samplingRate != rate {
      throw RecordSkip("wrong sampling rate", "\(record.location): \(raw.samplingRate) Hz, expected \(rate) Hz")
    }
    let frames = raw.leads.first?.count ?? 0
    if let expected = expectations.frames, frames != expected {
      throw RecordSkip("wrong length", "\(record.location): \(frames) samples per lead, expected \(expected)")
    }
    let mapping: [Int?]
    do {
      mapping = try StandardLeads.mapping(from: raw.leadNames, to: leadOrder)
    } catch {
      throw RecordSkip("wrong lead set", "\(record.location): \(error)")
    }
    let missing = leadOrder.indices.filter { mapping[$0] == nil }.map { leadOrder[$0] }
    if missing.count == leadOrder.count || (expectations.allLeads && !missing.isEmpty) {
      throw RecordSkip(
        "wrong lead set",
        "\(record.location): missing leads \(missing.joined(separator: ", ")) (has \(raw.leadNames.joined(separator: ", ")))"
      )
    }
    let resampledLength =
      raw.samplingRate == targetRate
      ? frames : Resampler.outputLength(count: frames, from: raw.samplingRate, to: targetRate)
    // Resampling holds every lead at the new rate in memory: refuse sizes no machine has, instead of trapping.
    guard resampledLength <= Self.maximumSamplesPerLead else {
      throw RecordSkip(
        "too long after resampling",
        "\(record.location): \(frames) samples at \(raw.samplingRate) Hz become more than \(Self.maximumSamplesPerLead) at \(targetRate) Hz"
      )
    }
    guard resampledLength >= segmentLength else {
      throw RecordSkip(
        "shorter than one window",
        "\(record.location): \(resampledLength) samples at \(targetRate) Hz < \(segmentLength)")
    }
    let present = mapping.compactMap { $0 }
    let bad = NonFiniteSamples(present.map { raw.leads[$0] })
    let resampled =
      raw.samplingRate == targetRate
      ? present.map { raw.leads[$0] }
      : Resampler.resample(
        leads: present.map { bad.isEmpty ? raw.leads[$0] : NonFiniteSamples.bridged(raw.leads[$0]) },
        from: raw.samplingRate, to: targetRate)
    var next = 0
    let leads: [[Double]] = mapping.map { position in
      guard position != nil else { return [Double](repeating: 0, count: resampledLength) }
      defer { next += 1 }
      return resampled[next]
    }
    let leadNames = mapping.map { $0.map { raw.leadNames[$0] } ?? "" }
    let mask = mapping.map { $0 != nil }
    var result: [StoredWindow] = []
    for window in Segmenter.windows(leads, length: segmentLength) {
      let nearBad = bad.touches(
        window: window.index, length: segmentLength, outputCount: resampledLength, inputCount: frames)
      guard window.isFinite && !nearBad else {
        summary.windowsDroppedNonFinite += 1
        continue
      }
      let metadata = WindowMetadata(
        recordID: record.id, source: source, path: raw.sourcePath ?? record.path, patientID: record.patientID,
        report: raw.report ?? record.report, labels: record.labels, classes: record.classes,
        originalRate: raw.originalRate ?? raw.samplingRate,
        leadNames: leadNames, leadMask: mask, window: record.firstWindow + window.index,
        referenceStem: record.referenceStem)
      let key = SplitKey(
        source: source, record: record.id, patient: record.patientID ?? record.id, official: record.officialSplit,
        referenceFile: "\(record.referenceStem)_\(record.firstWindow + window.index).npy")
      result.append(StoredWindow(values: window.values, metadata: metadata, splitKey: key))
    }
    if result.isEmpty {
      throw RecordSkip("only non-finite windows", "\(record.location): every window holds NaN or Inf")
    }
    return result
  }
}
