import Foundation
import Testing
import Torch

@testable import ECGCommandLine

/// `ecg sample`: a DiT run's samples drawn beside real windows, on the device asked for. In the serialized suite of
/// the evaluation tests, since it seeds and draws from libtorch's process-wide generator as their runs' set-up does.
extension EvalCommandTests {
  @Test func sampleDrawsGeneratedAndRealWindowsIntoOneSVG() throws {
    let dit = try EvalRun(network: EvalRun.dit, name: "sample")
    defer { dit.remove() }
    let svg = dit.folder.appendingPathComponent("samples.svg")
    try SampleCommand.parse([dit.run.path, "--count", "2", "--steps", "2", "--out", svg.path, "--device", "cpu"]).run()
    let text = try String(contentsOf: svg, encoding: .utf8)
    #expect(text.hasPrefix("<svg"))
    #expect(text.components(separatedBy: "generated ").count - 1 == 2)
    #expect(text.components(separatedBy: "real window ").count - 1 == 2)
    // The store moved: named in the error, and found again with --data.
    let moved = dit.folder.appendingPathComponent("moved-store").path
    try FileManager.default.moveItem(atPath: dit.store, toPath: moved)
    let lost = EvalRun.message(SampleCommand.self, [dit.run.path, "--count", "1", "--steps", "1", "--out", svg.path])
    #expect(lost.contains(dit.store), "\(lost)")
    try SampleCommand.parse([dit.run.path, "--count", "1", "--steps", "1", "--out", svg.path, "--data", moved]).run()
  }

  @Test func sampleRefusesOtherNetworksAndDevicesThisMachineLacks() throws {
    let nepa = try EvalRun(network: ["--neural_network", "trans_continuous_nepa"], name: "sample-nepa")
    defer { nepa.remove() }
    #expect(EvalRun.message(SampleCommand.self, [nepa.run.path]).hasPrefix("sampling draws from DiT"))
    let missing = EvalRun.message(SampleCommand.self, [nepa.run.path, "--device", "cuda:99"])
    #expect(missing.contains("--device cuda:99"), "\(missing)")
    #expect(missing.contains("not available"), "\(missing)")
    #expect(EvalRun.message(SampleCommand.self, [nepa.run.path, "--device", "tpu"]).contains("unknown device 'tpu'"))
    let noCount = EvalRun.message(SampleCommand.self, [nepa.run.path, "--count", "0"])
    #expect(noCount.contains("--count must be at least 1"), "\(noCount)")
    // ecg eval's sampling flags are checked for finite values too.
    for (flag, value, expected) in [
      ("--cfg_scale", "nan", "--cfg_scale must be a finite number"), ("--cfg_scale", "-inf", "finite number"),
      ("--sf", "0", "--sf must be at least 1 Hz"),
    ] {
      let text = EvalRun.message(["--task", "reconstruction", "--nn_ckpt", nepa.run.path, flag, value])
      #expect(text.contains(expected), "\(text)")
    }
  }

  /// `ecg eval` checks its device the same way, before it loads anything.
  @Test func evalRefusesADeviceThisMachineLacks() {
    let folder = FileManager.default.temporaryDirectory.path  // exists; no checkpoint is read before the device
    let missing = EvalRun.message(["--task", "generation", "--nn_ckpt", folder, "--device", "cuda:99"])
    #expect(missing.contains("--device cuda:99") && missing.contains("not available"), "\(missing)")
  }
}
