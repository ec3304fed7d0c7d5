import ECGData
import ECGEvaluation
import Foundation
import TestSupport
import Testing

/// The label tables of classification.md §1 read from the shared copies, and the label-fraction subsets of §2.2.5.
@Suite struct ClassificationLabelTests {
  static let labels = SharedFixtures.dataDirectory.appendingPathComponent("labels")

  @Test func ptbxlTasksHaveThePublishedClasses() throws {
    let table = try PTBXLStatements(contentsOf: Self.labels.appendingPathComponent("ptbxl_scp_statements.csv"))
    #expect(table.codes.count == 71)
    #expect(table.classes(.superdiagnostic) == ["CD", "HYP", "MI", "NORM", "STTC"])
    #expect(table.classes(.subdiagnostic).count == 23)
    #expect(table.classes(.form).count == 19)
    #expect(table.classes(.rhythm).count == 12)
    #expect(table.classes(.subdiagnostic).contains("LAFB/LPFB"))
    #expect(Set(table.classes(.form)).isSuperset(of: ["NDT", "NST_", "PRC(S)", "TAB_"]))
    // Likelihoods are ignored: {'NORM': 100.0, 'SR': 0.0} is NORM (super) and SR (rhythm).
    #expect(table.labels(.superdiagnostic, codes: ["NORM", "SR"]) == ["NORM"])
    #expect(table.labels(.rhythm, codes: ["NORM", "SR"]) == ["SR"])
    #expect(table.labels(.form, codes: ["NORM", "SR"]).isEmpty)
    #expect(merlClassName("_AVB") == "AVB" && merlClassName("NST_") == "NST")
  }

  @Test func merlSplitFilesGiveThePublishedSizes() throws {
    let cpsc = try MERLSplitFiles(
      folder: Self.labels.appendingPathComponent("merl_splits/icbeb"), labelSet: .cpsc2018)
    #expect(cpsc.classes == ["AFIB", "VPC", "NORM", "1AVB", "CRBBB", "STE", "PAC", "CLBBB", "STD"])
    #expect(cpsc.order[.train]?.count == 4950 && cpsc.order[.validation]?.count == 551)
    #expect(cpsc.order[.test]?.count == 1376)
    let csn = try MERLSplitFiles(folder: Self.labels.appendingPathComponent("merl_splits/chapman"), labelSet: .csn)
    #expect(csn.classes.count == 38 && csn.classes.first == "AQW" && csn.classes.last == "JEB")
    #expect(csn.order[.train]?.count == 16546 && csn.order[.validation]?.count == 1860)
    #expect(csn.order[.test]?.count == 4620)
    #expect(csn.records["JS08246"]?.labels == ["TWC"])
  }

  /// classification.md §2.2.5 computed the 1 % subsets on MERL's files: 49 CPSC and 165 CSN records, with 1 and 7
  /// classes lacking any positive — the subset's records, not just its size.
  @Test func onePercentSubsetsMatchTheSpecCounts() throws {
    for (name, labelSet, size, empty) in [
      ("icbeb", ClassificationLabelSet.cpsc2018, 49, 1), ("chapman", .csn, 165, 7),
    ] {
      let files = try MERLSplitFiles(
        folder: Self.labels.appendingPathComponent("merl_splits/\(name)"), labelSet: labelSet)
      let train = files.order[.train]!
      let subset = LabelFraction.subset(count: train.count, fraction: 0.01).map { train[$0] }
      #expect(subset.count == size)
      let positives = Set(subset.flatMap { files.records[$0]!.labels })
      #expect(files.classes.count - positives.count == empty, "\(name)")
    }
    #expect(LabelFraction.subset(count: 17084, fraction: 0.01).count == 170)
    #expect(LabelFraction.subset(count: 7197, fraction: 0.01).count == 71)
    #expect(LabelFraction.subset(count: 16832, fraction: 0.1).count == 1683)
    #expect(LabelFraction.subset(count: 5, fraction: 1) == [0, 1, 2, 3, 4])
  }

  @Test func aMissingLabelFolderSaysWhatToPass() {
    let error = #expect(throws: ClassificationError.self) {
      _ = try RecordLabeler(.ptbxlSuper, labelsDirectory: URL(fileURLWithPath: "/nonexistent-labels"))
    }
    #expect(error?.message.contains("--labels_dir") == true)
    #expect(throws: ClassificationError.self) { _ = try RecordLabeler(.csn, labelsDirectory: nil) }
  }
}
