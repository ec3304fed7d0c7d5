import Testing

@testable import ECGTokenizer

@Suite struct EncodingTests {
  @Test func greedyLongestMatchNotMergeOrder() throws {
    // Merge order would give "ab"+"c"; greedy longest match finds "abc" only through the prefix "ab".
    let tokens = try tokenizer("ab", "bc", "abcd")
    #expect(tokens.encode("abcd") == [258])
    #expect(tokens.encode("abce") == [256, 99, 101])  // "abc" is only a prefix node: back off to "ab"
    #expect(tokens.encode("bcx") == [257, 120])
    #expect(tokens.encode("") == [])
  }

  @Test func bytesOutsideTheAlphabetAreTheirOwnTokens() throws {
    let tokens = try tokenizer("aa")
    #expect(tokens.encode([0, 255, 97, 97, 97]) == [0, 255, 256, 97])
  }

  @Test func duplicateSpellingsUseTheLaterID() throws {
    #expect(try tokenizer("ab", "abc", "abc").encode("abc") == [258])
  }

  @Test func decodeDropsSpecialsAndRejectsUnknownIDs() throws {
    let tokens = try tokenizer("ab")
    let specials = tokens.specialTokens
    #expect(specials == .init(pad: 257, bos: 258, eos: 259))
    #expect(try tokens.decode([specials.bos, 256, 99, specials.eos, specials.pad]) == Array("abc".utf8))
    #expect(throws: TokenizerError.self) { try tokens.decode([256, 260]) }
    do {
      _ = try tokens.decode([97, 9999])
    } catch let error as TokenizerError {
      #expect(error.message.contains("token id 9999 at position 1 is out of range"))
    }
    #expect(tokens.referenceDecodedText([256, 9999, -3]) == "ab<UNK:9999><UNK:-3>")
  }

  @Test func batchEncodingKeepsOrder() throws {
    let tokens = try tokenizer("aa", "ab", "aab")
    let batch = (0..<50).map { index in (0..<(index * 7 % 23)).map { UInt8(97 + ($0 * index) % 3) } }
    #expect(tokens.encode(batch: batch, threads: 4) == batch.map { tokens.encode($0) })
  }

  @Test func trainingSequenceLayout() {
    let layout = SequenceLayout(specialTokens: .init(pad: 10, bos: 11, eos: 12), length: 6)
    #expect(layout.unpadded([1, 2]) == [11, 1, 2, 12])
    #expect(layout.training([1, 2]) == [10, 10, 11, 1, 2, 12])
    #expect(layout.training([1, 2, 3, 4]) == [11, 1, 2, 3, 4, 12])
    #expect(layout.training([1, 2, 3, 4, 5, 6, 7]) == [11, 1, 2, 3, 4, 12])
    #expect(layout.labels([10, 11, 1, 12]) == [-100, -100, 1, 12])
  }

  @Test func referenceSpecialTokens() throws {
    let tokens = try #require(referenceTokenizer)
    #expect(tokens.vocabularySize == 10256)
    #expect(tokens.specialTokens == .init(pad: 10256, bos: 10257, eos: 10258))
    #expect(tokens.vocabularySizeWithSpecialTokens == 10259)
    #expect(tokens.vocabularyString(of: 200) == "<200>")
    #expect(tokens.vocabularyString(of: 256) == "mm")
  }
}
