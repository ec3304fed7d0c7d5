import Foundation

/// A vector in the Frank lead frame: x to the patient's left, y towards the feet, z towards the back.
struct HeartVector: Sendable, Equatable {
  /// Leftward component.
  var x: Double
  /// Inferior component.
  var y: Double
  /// Posterior component.
  var z: Double

  /// Creates a vector.
  init(_ x: Double, _ y: Double, _ z: Double) {
    self.x = x
    self.y = y
    self.z = z
  }

  static func * (s: Double, v: HeartVector) -> HeartVector { HeartVector(s * v.x, s * v.y, s * v.z) }
  static func + (a: HeartVector, b: HeartVector) -> HeartVector { HeartVector(a.x + b.x, a.y + b.y, a.z + b.z) }

  /// Rotated in the frontal plane by `angle` radians (from +x towards +y, i.e. clockwise as the
  /// hexaxial diagram is drawn, so frontal angles increase).
  func rotatedFrontal(by angle: Double) -> HeartVector {
    let (c, s) = (cos(angle), sin(angle))
    return HeartVector(c * x - s * y, s * x + c * y, z)
  }

  /// Rotated in the horizontal plane by `angle` radians (from +x towards +z, leftward towards posterior).
  func rotatedHorizontal(by angle: Double) -> HeartVector {
    let (c, s) = (cos(angle), sin(angle))
    return HeartVector(c * x - s * z, y, s * x + c * z)
  }
}
