import Testing
import Torch

@Test func linksLibtorch211() {
  #expect(libtorchVersion.hasPrefix("2.11"))
}
