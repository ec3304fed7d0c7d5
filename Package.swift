// swift-tools-version: 6.0
import Foundation
import PackageDescription

// libtorch 2.11 lives in a cache folder that `make setup` (scripts/setup-libtorch.sh) fills once; ECG_LIBTORCH
// may point elsewhere, e.g. at an installed PyTorch 2.11's `torch` folder.
let environment = ProcessInfo.processInfo.environment
let libtorch =
  environment["ECG_LIBTORCH"]
  ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/ecg-encoder/libtorch-2.11.0"
let libtorchIsInstalled =
  FileManager.default.fileExists(atPath: libtorch + "/include/ATen/ATen.h")
  && FileManager.default.fileExists(atPath: libtorch + "/lib/libtorch_cpu.so")

let ctorchCxxSettings: [CXXSetting] =
  libtorchIsInstalled
  ? [
    .unsafeFlags([
      "-isystem", libtorch + "/include",
      "-isystem", libtorch + "/include/torch/csrc/api/include",
      "-D_GLIBCXX_USE_CXX11_ABI=1", "-O2", "-Wno-deprecated-declarations",
    ]),
    // c10d's Gloo process group header names a few Gloo types the wheel ships no headers for (distributed.cpp).
    .headerSearchPath("gloo_declarations"),
    .define("USE_C10D_GLOO"),
  ]
  : []

let ctorchLinkerSettings: [LinkerSetting] =
  libtorchIsInstalled
  ? [
    .unsafeFlags([
      "-L", libtorch + "/lib", "-Xlinker", "-rpath", "-Xlinker", libtorch + "/lib",
      "-Xlinker", "--no-as-needed", "-ltorch_cpu", "-lc10", "-Xlinker", "--as-needed",
    ]),
    .linkedLibrary("dl"),
  ]
  : []

let package = Package(
  name: "ECGEncoder",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "ecg", targets: ["ecg"]),
    .library(name: "Torch", targets: ["Torch"]),
    .library(name: "ECGCore", targets: ["ECGCore"]),
    .library(name: "ECGData", targets: ["ECGData"]),
    .library(name: "ECGModels", targets: ["ECGModels"]),
    .library(name: "ECGTraining", targets: ["ECGTraining"]),
    .library(name: "ECGTokenizer", targets: ["ECGTokenizer"]),
    .library(name: "ECGText", targets: ["ECGText"]),
    .library(name: "TensorFormats", targets: ["TensorFormats"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
  ],
  targets: [
    .target(
      name: "CTorch",
      // Without libtorch only missing/libtorch_missing.cpp is compiled: one #error that says what to do.
      exclude: libtorchIsInstalled ? ["missing"] : [],
      sources: libtorchIsInstalled ? nil : ["missing"],
      cxxSettings: ctorchCxxSettings,
      linkerSettings: ctorchLinkerSettings
    ),
    .target(name: "Torch", dependencies: ["CTorch", "TensorFormats"]),
    .target(name: "SafePickle"),
    // Vocabulary shared by data, models, training and the CLI: network/objective kinds, typed batches.
    .target(name: "ECGCore", dependencies: ["Torch"]),
    .target(name: "ECGData", dependencies: ["SafePickle", "Torch", "ECGCore", "ECGTokenizer"]),
    .target(name: "ECGTokenizer", dependencies: ["SafePickle"]),
    // Every network, one file each (DESIGN.md §3); depends on tensors and typed batches, not on the data target.
    .target(name: "ECGModels", dependencies: ["Torch", "ECGCore", "ECGText"]),
    // Evaluation: metrics, tasks, plots and reports.
    // Evaluation: the reference's metrics, `ecg eval`'s tasks (generation, reconstruction, forecasting, downstream
    // classification), plots and the HTML report.
    .target(
      name: "ECGEvaluation",
      dependencies: ["Torch", "ECGCore", "ECGData", "ECGModels", "ECGText", "ECGTokenizer", "ECGTraining"]
    ),
    .target(name: "TensorFormats", dependencies: ["SafePickle"]),
    // Training: the reference's optimizer wrapper and schedules, the pretraining loop, checkpoints and exact
    // resume, run folders, metrics and TensorBoard files.
    .target(
      name: "ECGTraining",
      dependencies: [
        "Torch", "ECGCore", "ECGData", "ECGModels", "TensorFormats", .product(name: "Yams", package: "Yams"),
      ]
    ),
    // Text encoders from local Hugging Face folders: BertModel and its WordPiece tokenizer (not on ECGData, so
    // ECGModels can use it).
    .target(name: "ECGText", dependencies: ["Torch", "ECGCore"]),
    .target(
      name: "ECGCommandLine",
      dependencies: [
        "Torch", "ECGCore", "ECGData", "ECGEvaluation", "ECGModels", "ECGText", "ECGTokenizer", "ECGTraining",
        "TensorFormats", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "ecg",
      dependencies: ["ECGCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    // Fixture locations shared by the test targets.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    // Reference fixture cases (JSON + safetensors) and tolerance checks, for every test target that runs tensors.
    .target(name: "TorchTestSupport", dependencies: ["Torch", "TestSupport"], path: "Tests/TorchTestSupport"),
    .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport", "TorchTestSupport"]),
    .testTarget(name: "SafePickleTests", dependencies: ["SafePickle", "TestSupport"]),
    .testTarget(name: "TensorFormatsTests", dependencies: ["TensorFormats", "TestSupport"]),
    .testTarget(name: "ECGTokenizerTests", dependencies: ["ECGTokenizer", "TestSupport"]),
    .testTarget(name: "ECGDataTests", dependencies: ["ECGData", "ECGCore", "TestSupport"]),
    .testTarget(
      name: "ECGModelsTests", dependencies: ["ECGModels", "ECGCore", "ECGText", "TestSupport", "TorchTestSupport"]),
    .testTarget(
      name: "ECGEvaluationTests",
      dependencies: ["ECGEvaluation", "ECGCore", "ECGData", "ECGModels", "Torch", "TestSupport", "TorchTestSupport"]
    ),
    .testTarget(name: "ECGTextTests", dependencies: ["ECGText", "ECGCore", "TestSupport", "TorchTestSupport"]),
    .testTarget(
      name: "ECGTrainingTests", dependencies: ["ECGTraining", "ECGCore", "Torch", "TestSupport", "TorchTestSupport"]),
    .testTarget(name: "ECGCommandLineTests", dependencies: ["ECGCommandLine", "TestSupport"]),
    // Data-parallel scenarios run as separate processes (DistributedWorker) under torchrun's variables.
    .executableTarget(
      name: "DistributedWorker", dependencies: ["ECGTraining", "ECGModels", "ECGCore", "Torch"],
      path: "Tests/DistributedWorker"),
    .testTarget(name: "DistributedTests", dependencies: ["DistributedWorker", "Torch"]),
  ],
  swiftLanguageModes: [.v6],
  cxxLanguageStandard: .cxx17
)
