import ECGTokenizer
import Foundation

// libFuzzer target: tokenizer files, our JSON format and the reference's pickle. Built by Fuzz/build.sh.

/// Loads the input as a tokenizer file, telling the formats apart by the first byte as
/// `ECGByteTokenizer(contentsOf:)` does; an accepted tokenizer must encode and decode symbols back unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let tokenizer: ECGByteTokenizer?
  if bytes.first == 0x80 {
    tokenizer = try? ECGByteTokenizer(referencePickle: bytes)
  } else {
    tokenizer = try? ECGByteTokenizer(json: Data(bytes))
  }
  if let tokenizer {
    let symbols = Array("abcdefghijklmnopqrstuvwxyzzyxwvutsrqponmlkjihgfedcbaaaabbbbcccc".utf8)
    precondition(try! tokenizer.decode(tokenizer.encode(symbols)) == symbols, "encode/decode round trip differs")
    _ = tokenizer.jsonText()
  }
  return 0
}
