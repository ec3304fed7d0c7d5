import ArgumentParser
import ECGText
import Foundation
import Testing
import Torch

@testable import ECGCommandLine

/// The `ecg text` commands, in-process on the all-MiniLM-L6-v2 folder of `make setup` (or `ECG_TEXT_MODEL`).
@Suite struct TextCommandTests {
  private func errorMessage(_ arguments: [String]) -> String? {
    do {
      var command = try TextCommand.parseAsRoot(arguments)
      try command.run()
      return nil
    } catch {
      return (error as? CommandError)?.description ?? TextCommand.message(for: error)
    }
  }

  private func modelFolder() throws -> TextModelFolder {
    let url = TextModelFolder.defaultURL
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      Issue.record(
        "no text model at \(url.path): run `make setup`, or set ECG_TEXT_MODEL to a Hugging Face BERT folder")
      throw CommandError("no text model")
    }
    return try TextModelFolder(url)
  }

  @Test func embedLinesCarryTokensAndTheMeanPooledEmbedding() throws {
    let folder = try modelFolder()
    let (tokenizer, encoder) = try TextEmbedCommand.load(folder, device: .cpu)
    let texts = ["sinus rhythm. normal ecg.", "", "Atrial fibrillation \"AF\"\tat 120 bpm"]
    var lines: [String] = []
    TextEmbedCommand.embed(
      texts, tokenizer: tokenizer, encoder: encoder, maxLength: 32, pooling: .mean, normalize: true, batchSize: 2
    ) { lines.append($0) }
    #expect(lines.count == 3)
    let expected = encoder(tokenizer.encode(texts, maxLength: 32)).meanPooled(normalized: true).floats()
    for (index, line) in lines.enumerated() {
      let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(json["text"] as? String == texts[index])
      #expect(json["tokens"] as? [String] == tokenizer.tokens(texts[index], maxLength: 32))
      let embedding = try #require(json["embedding"] as? [Double])
      #expect(embedding.count == 384)
      for (got, want) in zip(embedding, expected[index * 384..<(index + 1) * 384]) {
        #expect(Swift.abs(got - Double(want)) < 1e-6)
      }
    }
    #expect((lines[1].contains("\"tokens\": [\"[CLS]\", \"[SEP]\"]")))
  }

  @Test func optionsAreChecked() throws {
    let folder = try modelFolder().url.path
    #expect(errorMessage(["embed", "--model", folder, "--max-length", "1"])?.contains("at least 2") == true)
    #expect(
      errorMessage(["embed", "--model", folder, "--max-length", "600"])?.contains("max_position_embeddings 512") == true
    )
    #expect(errorMessage(["embed", "--model", folder, "--device", "tpu"])?.contains("cpu, cuda or cuda:N") == true)
    #expect(errorMessage(["embed", "--model", "/nonexistent/bert"])?.contains("does not exist") == true)
    #expect(errorMessage(["inspect", "/nonexistent/bert"])?.contains("does not exist") == true)
  }
}
