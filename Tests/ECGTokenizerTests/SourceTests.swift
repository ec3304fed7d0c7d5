import Foundation
import Testing

@testable import ECGTokenizer

@Suite struct SourceTests {
  @Test func npyFolderReadsRecordsAndArraysInNameOrder() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(NPYVectors.record).write(to: folder.appendingPathComponent("b_record.npy"))
    try Data(NPYVectors.plain).write(to: folder.appendingPathComponent("a_plain.npy"))
    try Data("ignored".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    let source = try NPYFolderSource(folder: folder.path)
    #expect(source.count == 2)
    let symbols = SymbolizedWindows(source)
    #expect(String(decoding: try symbols.symbols(at: 0), as: UTF8.self) == NPYVectors.plainSymbols)
    #expect(String(decoding: try symbols.symbols(at: 1), as: UTF8.self) == NPYVectors.recordSymbols)
    #expect(symbols.corpus().symbols == Array((NPYVectors.plainSymbols + NPYVectors.recordSymbols).utf8))
    #expect(throws: TokenizerError.self) { try source.window(at: 2) }
  }

  @Test func badWindowsAreSkippedAndReported() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(NPYVectors.plain).write(to: folder.appendingPathComponent("a.npy"))
    try Data("not numpy".utf8).write(to: folder.appendingPathComponent("b.npy"))
    let corpus = SymbolizedWindows(try NPYFolderSource(folder: folder.path)).corpus()
    #expect(corpus.symbols == Array(NPYVectors.plainSymbols.utf8))
    #expect(corpus.skipped.count == 1 && corpus.skipped[0].contains("b.npy"))
  }

  @Test func emptyFolderIsAnError() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: TokenizerError.self) { try NPYFolderSource(folder: folder.path) }
  }
}
