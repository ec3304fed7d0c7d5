import Torch

/// MERL's 1-D ResNet (merl/blocks.py `ResNet`, models.md §8.2): `conv1` (k 7, stride 2, padding 3, no bias) →
/// `bn1` → ReLU → `layer1` … `layer4` (no max-pool), BatchNorm running statistics in every block.
///
/// The reference fixes ResNet-101 (Bottleneck, [3, 4, 23, 3], widths 64/128/256/512); here the block kind, the
/// block counts and the stage widths are configurable (`MerlConfig.resnetType`, or `custom` with
/// `resnet_block`/`resnet_num_blocks`/`resnet_widths`). Output channels = last width × the block's expansion;
/// each stage after the first halves the length (stride 2), as does `conv1`.
public final class MerlResNet: Module, UnaryLayer {
  @Child("conv1") public var conv1: Conv1d
  @Child("bn1") public var bn1: BatchNorm1d
  @Child("layer1") public var layer1: Sequential
  @Child("layer2") public var layer2: Sequential
  @Child("layer3") public var layer3: Sequential
  @Child("layer4") public var layer4: Sequential
  /// Channels of the output: last width × expansion.
  public let outputChannels: Int

  /// - Parameters: `block` the residual block kind, `blocks` the block count of each of the four stages,
  ///   `widths` the four stage widths (the stem has the first), `inputChannels` the leads.
  public init(block: MerlResNetBlock, blocks: [Int], widths: [Int], inputChannels: Int = 12) {
    precondition(blocks.count == 4 && widths.count == 4, "a ResNet has four stages")
    outputChannels = widths[3] * block.expansion
    super.init()
    conv1 = Conv1d(inputChannels, widths[0], kernelSize: 7, stride: 2, padding: 3, bias: false)
    bn1 = BatchNorm1d(widths[0])
    var inChannels = widths[0]
    func stage(_ index: Int) -> Sequential {
      let layers: [any UnaryLayer] = (0..<blocks[index]).map { j in
        let stride = index > 0 && j == 0 ? 2 : 1
        let layer = block.make(inChannels, widths[index], stride: stride)
        inChannels = widths[index] * block.expansion
        return layer
      }
      return Sequential(layers)
    }
    layer1 = stage(0)
    layer2 = stage(1)
    layer3 = stage(2)
    layer4 = stage(3)
  }

  /// signal [B, leads, L] (cast to the weights' dtype) → [B, outputChannels, L'] with L' = `outputLength(L)`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let x = bn1(conv1(input.to(dtype: conv1.weight.dtype))).relu()
    return layer4(layer3(layer2(layer1(x))))
  }

  /// The output length for an input of `length` samples: ⌈L/2⌉ after `conv1`, then halved (rounding up) by each of
  /// the three strided stages (2500 → 157, 1250 → 79, 500 → 32).
  public static func outputLength(_ length: Int) -> Int {
    (0..<4).reduce(length) { l, _ in (l - 1) / 2 + 1 }
  }
}

/// The residual block kinds of MERL's ResNet.
public enum MerlResNetBlock: String, Codable, Sendable {
  /// conv k3 → BN → ReLU → conv k3 → BN, expansion 1 (ResNet-18/34).
  case basicBlock = "BasicBlock"
  /// conv k1 → BN → ReLU → conv k3 (stride) → BN → ReLU → conv k1 (×4) → BN, expansion 4 (ResNet-50/101).
  case bottleneck = "Bottleneck"

  public var expansion: Int { self == .bottleneck ? 4 : 1 }

  func make(_ inChannels: Int, _ width: Int, stride: Int) -> any UnaryLayer {
    switch self {
    case .basicBlock: BasicBlock(inChannels, width, stride: stride)
    case .bottleneck: Bottleneck(inChannels, width, stride: stride)
    }
  }
}

/// The projection shortcut (`shortcut.0` conv k1 with the block's stride, `shortcut.1` BatchNorm) when the shape
/// changes; an empty Sequential (identity, no keys) otherwise.
private func shortcut(_ inChannels: Int, _ outChannels: Int, stride: Int) -> Sequential {
  guard stride != 1 || inChannels != outChannels else { return Sequential([]) }
  return Sequential(
    Conv1d(inChannels, outChannels, kernelSize: 1, stride: stride, bias: false), BatchNorm1d(outChannels))
}

/// merl/blocks.py `Bottleneck`: keys `conv1`, `bn1`, `conv2`, `bn2`, `conv3`, `bn3`, `shortcut.{0,1}`.
final class Bottleneck: Module, UnaryLayer {
  @Child("conv1") var conv1: Conv1d
  @Child("bn1") var bn1: BatchNorm1d
  @Child("conv2") var conv2: Conv1d
  @Child("bn2") var bn2: BatchNorm1d
  @Child("conv3") var conv3: Conv1d
  @Child("bn3") var bn3: BatchNorm1d
  @Child("shortcut") var shortcut: Sequential

  init(_ inChannels: Int, _ width: Int, stride: Int) {
    super.init()
    conv1 = Conv1d(inChannels, width, kernelSize: 1, bias: false)
    bn1 = BatchNorm1d(width)
    conv2 = Conv1d(width, width, kernelSize: 3, stride: stride, padding: 1, bias: false)
    bn2 = BatchNorm1d(width)
    conv3 = Conv1d(width, 4 * width, kernelSize: 1, bias: false)
    bn3 = BatchNorm1d(4 * width)
    self.shortcut = ECGModels.shortcut(inChannels, 4 * width, stride: stride)
  }

  func callAsFunction(_ x: Tensor) -> Tensor {
    var out = bn1(conv1(x)).relu()
    out = bn2(conv2(out)).relu()
    out = bn3(conv3(out))
    return (out + shortcut(x)).relu()
  }
}

/// merl/blocks.py `BasicBlock`: keys `conv1`, `bn1`, `conv2`, `bn2`, `shortcut.{0,1}`.
final class BasicBlock: Module, UnaryLayer {
  @Child("conv1") var conv1: Conv1d
  @Child("bn1") var bn1: BatchNorm1d
  @Child("conv2") var conv2: Conv1d
  @Child("bn2") var bn2: BatchNorm1d
  @Child("shortcut") var shortcut: Sequential

  init(_ inChannels: Int, _ width: Int, stride: Int) {
    super.init()
    conv1 = Conv1d(inChannels, width, kernelSize: 3, stride: stride, padding: 1, bias: false)
    bn1 = BatchNorm1d(width)
    conv2 = Conv1d(width, width, kernelSize: 3, padding: 1, bias: false)
    bn2 = BatchNorm1d(width)
    self.shortcut = ECGModels.shortcut(inChannels, width, stride: stride)
  }

  func callAsFunction(_ x: Tensor) -> Tensor {
    let out = bn2(conv2(bn1(conv1(x)).relu()))
    return (out + shortcut(x)).relu()
  }
}
