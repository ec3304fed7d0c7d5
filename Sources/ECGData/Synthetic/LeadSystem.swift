import Foundation

/// Projection of the heart vector onto the 12 standard leads.
///
/// The eight independent leads I, II, V1–V6 are rows of Dower's transformation from the Frank
/// vectorcardiogram (Dower, Machado & Osborne 1980, "On deriving the electrocardiogram from
/// vectorcardiographic leads", Clin. Cardiol. 3:87–95). III and the augmented limb leads follow from
/// Einthoven's and Goldberger's relations, so III = II − I, aVR = −(I + II)/2, aVL = I − II/2 and
/// aVF = II − I/2 hold exactly.
public enum LeadSystem {
  /// The standard lead order: I, II, III, aVR, aVL, aVF, V1–V6.
  public static let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

  /// Dower rows (x, y, z coefficients) for I, II, V1 … V6.
  static let dower: [(Double, Double, Double)] = [
    (0.632, -0.235, 0.059),  // I
    (0.235, 1.066, -0.132),  // II
    (-0.515, 0.157, -0.917),  // V1
    (0.044, 0.164, -1.387),  // V2
    (0.882, 0.098, -1.277),  // V3
    (1.213, 0.127, -0.601),  // V4
    (1.125, 0.127, -0.086),  // V5
    (0.831, 0.076, 0.230),  // V6
  ]

  /// Lead I of a heart vector.
  static func leadI(_ v: HeartVector) -> Double { project(v, row: 0) }
  /// Lead II of a heart vector.
  static func leadII(_ v: HeartVector) -> Double { project(v, row: 1) }

  /// Independent lead `row` (0 = I, 1 = II, 2… = V1…) of a heart vector.
  static func project(_ v: HeartVector, row: Int) -> Double {
    let (a, b, c) = dower[row]
    return a * v.x + b * v.y + c * v.z
  }

  /// The six limb leads from I and II, in standard order.
  static func limbLeads(i: Double, ii: Double) -> (Double, Double, Double, Double, Double, Double) {
    (i, ii, ii - i, -(i + ii) / 2, i - ii / 2, ii - i / 2)
  }

  /// The hexaxial frontal angle, degrees, of a deflection seen as `i` in lead I and `ii` in lead II:
  /// atan2(aVF · 2/√3, I), the way ECG carts compute the axis from leads I and aVF.
  public static func hexaxialAngle(i: Double, ii: Double) -> Double {
    let avf = ii - i / 2
    return atan2(avf * 2 / 3.0.squareRoot(), i) * 180 / Double.pi
  }
}
