import Testing

@testable import ECGTokenizer

@Suite struct SymbolizerTests {
  @Test func matchesNumPyInFloat32() {
    let result = Symbolizer.symbolize(SymbolVectors.signal, precision: .float32)
    #expect(String(decoding: result.symbols, as: UTF8.self) == SymbolVectors.float32Symbols)
    #expect(result.minimum == SymbolVectors.minimum)
    #expect(result.maximum == SymbolVectors.maximum)
  }

  @Test func matchesNumPyInFloat64() {
    let result = Symbolizer.symbolize(SymbolVectors.signal.map(Double.init))
    #expect(String(decoding: result.symbols, as: UTF8.self) == SymbolVectors.float64Symbols)
    #expect(Symbolizer.symbolize(SymbolVectors.signal, precision: .float64).symbols == result.symbols)
  }

  @Test func inverseGivesBinCentres() {
    let signal = Symbolizer.desymbolize(
      Array(SymbolVectors.float32Symbols.utf8), minimum: SymbolVectors.minimum, maximum: SymbolVectors.maximum)
    #expect(signal == SymbolVectors.desymbolized)
    // Non-symbol characters (as in `<UNK:…>` text) count as level 0.
    let centres = Symbolizer.desymbolize(Array("<a".utf8), minimum: 0, maximum: 26 - 1e-6)
    #expect(centres.count == 2 && centres.allSatisfy { abs($0 - 0.5) < 1e-5 })
  }

  @Test func edgeCases() {
    #expect(Symbolizer.symbolize([Float](repeating: 3, count: 5)).symbols == Array("aaaaa".utf8))
    #expect(Symbolizer.symbolize([Float]()).symbols.isEmpty)
    #expect(Symbolizer.symbolize([0, 1] as [Float]).symbols == Array("az".utf8))
  }
}
