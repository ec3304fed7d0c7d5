/// BERT's word splitting (`tokenizers`' `BertPreTokenizer`): split at whitespace, which is dropped, and make
/// every punctuation character (`BertCharacters.isPunctuation`) a word of its own.
enum BertPreTokenizer {
  static func words(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
    var words: [ArraySlice<Unicode.Scalar>] = []
    var start = text.startIndex
    for index in text.indices {
      let c = text[index]
      if BertCharacters.isWhitespace(c) {
        if start < index { words.append(text[start..<index]) }
        start = index + 1
      } else if BertCharacters.isPunctuation(c) {
        if start < index { words.append(text[start..<index]) }
        words.append(text[index...index])
        start = index + 1
      }
    }
    if start < text.endIndex { words.append(text[start...]) }
    return words
  }
}
