import Foundation
import Testing
import Torch

@testable import ECGData

@Suite struct WindowSourceTests {
  func makeStore(_ folder: URL, windows: Int, length: Int = 8, corrupt: Int? = nil) throws -> DatasetStore {
    let url = folder.appendingPathComponent("store")
    let writer = try StoreWriter(url: url, settings: [:], segmentLength: length, overwrite: false)
    let stored = (0..<windows).map { i -> StoredWindow in
      var window = StoreTests.window("r\(i)", Float(i * 100), length: length, patient: "p\(i)")
      if i == corrupt { window.values[3] = .nan }
      return window
    }
    try writer.writeShard(0, windows: stored, summary: PreprocessSummary())
    _ = try writer.finish(shardCount: 1, samplingRate: 250, policy: .patient, seed: 0, createdBy: "test")
    return try DatasetStore(url: url)
  }

  @Test func storeWindowsFeedTheLoader() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try makeStore(folder, windows: 10, corrupt: 4)
    let source = StoreWindowSource(store)
    #expect(source.count == 10)
    let window = try source.window(at: 2)
    #expect(window.id == "r2#0" && window.report == "report r2" && window.values[0] == 200 && window.length == 8)
    let split = store.split(at: 0)
    #expect(StoreWindowSource(store, split: split).count == store.indices(in: split).count)
    // Pretraining with --exclude_test_split: every window but the test split's.
    let unseen = StoreWindowSource(store, excluding: .test)
    #expect(unseen.count == store.count - store.indices(in: .test).count)
    #expect(unseen.indices.allSatisfy { store.split(at: $0) != .test })

    let task = PretrainTask(
      network: .nepa, objective: .autoregressive, representation: .signal(SignalRepresentation(segmentLength: 8)))
    let loader = BatchLoader(source: try DatasetMixture([source]), task: task, batchSize: 3, workers: 2, seed: 1)
    let batches = Array(loader.batches(epoch: 0))
    // Every window but the NaN one, in the epoch's four batches (a batch left empty takes the next window).
    #expect(batches.count == loader.batchesPerEpoch)
    #expect(Set(batches.flatMap(\.ids)).count == 9)
    guard case .signal(let first) = batches[0].input else {
      Issue.record("NEPA batches hold a signal")
      return
    }
    #expect(first.signal.shape[1...] == [12, 8])
    // The window read in place from the store equals the representation of the copied window.
    // Read without metadata, windows are named by their store position: "store[k]".
    let position = try #require(Int(batches[0].ids[0].drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }))
    let expected = SignalRepresentation(segmentLength: 8).apply(try source.window(at: position))
    #expect(Array(first.signal.floats().prefix(96)) == expected.signal)
    // The window with a NaN sample is reported by id and skipped.
    #expect(loader.skipped.map(\.id) == ["r4#0"])
    #expect(try StoreSignalWindows(source).window(at: 1).first == 100)
  }
}

@Suite struct ReferenceFolderWindowSourceTests {
  @Test func readsTheReferenceFolderInStandardLeadOrder() throws {
    let root = try ReferenceImportTests.folder(name: "mimic_iv")
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ReferenceFolderWindowSource(dataDirectory: root, name: "mimic_iv", segmentLength: 4)
    #expect(source.count == 2)
    let window = try source.window(at: 0)
    #expect(window.leads == 12 && window.length == 4 && window.report == "sinus rhythm")
    // Stored channel 4 (aVR in MIMIC-IV's order) lands at the standard aVR position 3.
    #expect(Array(window.values[12..<16]) == [40, 41, 42, 43])
    let task = PretrainTask(
      network: .mlae, objective: .mae, representation: .signal(SignalRepresentation(segmentLength: 4)))
    let loader = BatchLoader(source: try DatasetMixture([source]), task: task, batchSize: 2, seed: 0)
    guard case .signal(let batch) = Array(loader.batches(epoch: 0)).first?.input else {
      Issue.record("MLAE batches hold a signal (the reference's `series`)")
      return
    }
    #expect(batch.signal.shape == [2, 12, 4])
  }
}
