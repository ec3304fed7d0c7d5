import Foundation

/// One Gaussian event of the extended ECGSYN model: a wave component at phase `angle` (radians from the
/// R peak), of angular width `width`, pointing along `vector` (mV).
struct WaveEvent: Sendable {
  /// Which wave it belongs to.
  enum Wave: Sendable { case p, qrs, t }

  var wave: Wave
  var angle: Double
  var width: Double
  var vector: HeartVector
  /// Time offset from the R peak and time width at the mean rate, s (for areas and templates).
  var time: Double
  var timeWidth: Double
}

/// The heart dipole as a sum of Gaussians in the phase of the ECGSYN limit cycle.
///
/// McSharry et al. 2003 (IEEE TBME 50(3):289–294) drive one ECG channel by
/// ż = −Σᵢ aᵢ Δθᵢ exp(−Δθᵢ² / 2bᵢ²) − (z − z₀) on a circular limit cycle with events P, Q, R, S, T.
/// Sameni, Clifford, Jutten & Shamsollahi 2007 ("Multichannel ECG and noise modeling: application to
/// maternal and fetal ECG signals", EURASIP J. Adv. Signal Process. 2007:043407) extend it to the three
/// components of the cardiac dipole, each with its own Gaussian set, in the form
/// ẋ = −Σᵢ (αᵢ ω / bᵢ²) Δθᵢ exp(−Δθᵢ² / 2bᵢ²) (likewise y, z). Then dx/dθ is the derivative of a sum of
/// Gaussians whatever ω(t) does, so without a baseline term the equations integrate in closed form,
/// d(θ) = Σᵢ vᵢ exp(−Δθᵢ² / 2bᵢ²): evaluated here, with each event's three amplitudes as one vector vᵢ
/// (no ODE error and no start-up transient).
///
/// Event timings are set in seconds and converted to angles at the mean RR, which plays the role of
/// McSharry's heart-rate scaling of θᵢ and bᵢ: the QRS keeps its duration, PR shortens mildly (∝ RR^¼)
/// and QT follows Bazett (QT = QTc·√RR).
struct DipoleModel: Sendable {
  let events: [WaveEvent]
  /// Net QRS area (vector, mV·s) at the mean rate.
  let qrsArea: HeartVector

  init(parameters p: SyntheticECGParameters, using rng: inout some RandomNumberGenerator) {
    let rr = 60 / p.heartRate
    let d = p.qrsDuration / 1000
    // A wide QRS keeps a normal initial part; the conduction delay adds a broad, late component along the
    // main vector (a slurred or notched R, as in bundle-branch block) and pushes the terminal forces later.
    let initial = min(d, 0.1)
    let extra = d - initial
    let onset = -initial / 2
    let pr = p.prInterval / 1000 * pow(rr, 0.25)
    let pd = min(p.pDuration / 1000, pr - 0.02)
    let qt = p.qtc / 1000 * rr.squareRoot()
    let pCentre = onset - pr + pd / 2
    let tWidth = 0.04 * rr.squareRoot()
    let tPeak = onset + qt - 2 * tWidth

    func jitter(_ v: HeartVector) -> HeartVector {
      let size = (v.x * v.x + v.y * v.y + v.z * v.z).squareRoot()
      return HeartVector(
        v.x * (1 + 0.1 * rng.normal()) + 0.03 * size * rng.normal(),
        v.y * (1 + 0.1 * rng.normal()) + 0.03 * size * rng.normal(),
        v.z * (1 + 0.1 * rng.normal()) + 0.03 * size * rng.normal())
    }
    // Reference directions (before the axis rotation): septal depolarisation to the right and front,
    // the main left-ventricular vector left, down and back, late basal forces right, up and back.
    let terminalWidth = 0.12 * initial
    var qrs: [(Double, Double, HeartVector)] = [
      (-0.30 * initial, 0.11 * initial, HeartVector(-0.12, 0.04, -0.22)),
      (0, 0.13 * initial, HeartVector(0.80, 0.60, 0.40)),
      (onset + d - 2.2 * terminalWidth, terminalWidth, HeartVector(-0.10, -0.15, 0.35)),
    ]
    if extra > 0 {
      qrs.append((0.2 * initial + 0.5 * extra, 0.1 * initial + 0.3 * extra, HeartVector(0.44, 0.33, 0.22)))
    }
    let horizontal = p.horizontalRotation * Double.pi / 180
    var qrsVectors = qrs.map { (p.qrsScale * jitter($0.2)).rotatedHorizontal(by: horizontal) }
    var area = HeartVector(0, 0, 0)
    for (k, event) in qrs.enumerated() { area = area + ((2 * Double.pi).squareRoot() * event.1) * qrsVectors[k] }
    let turn = Self.frontalRotation(area: area, targetDegrees: p.qrsAxis)
    qrsVectors = qrsVectors.map { $0.rotatedFrontal(by: turn) }
    area = area.rotatedFrontal(by: turn)

    let tVector = (p.tScale * jitter(HeartVector(0.2, 0.16, -0.08))).rotatedHorizontal(by: horizontal).rotatedFrontal(
      by: turn)
    // Right atrium first (anterior), left atrium second (posterior); P axis set in the frontal plane.
    var pVectors = [HeartVector(0.05, 0.13, -0.07), HeartVector(0.13, 0.09, 0.07)].map { p.pScale * jitter($0) }
    let pSum = pVectors[0] + pVectors[1]
    let pTurn = p.pAxis * Double.pi / 180 - atan2(pSum.y, pSum.x)
    pVectors = pVectors.map { $0.rotatedFrontal(by: pTurn) }

    var events: [WaveEvent] = []
    func add(_ wave: WaveEvent.Wave, _ time: Double, _ width: Double, _ vector: HeartVector) {
      events.append(
        WaveEvent(
          wave: wave, angle: 2 * Double.pi * time / rr, width: 2 * Double.pi * width / rr, vector: vector,
          time: time, timeWidth: width))
    }
    add(.p, pCentre - pd / 6, pd / 6, pVectors[0])
    add(.p, pCentre + pd / 6, pd / 6, pVectors[1])
    for (k, event) in qrs.enumerated() { add(.qrs, event.0, event.1, qrsVectors[k]) }
    // An asymmetric T: slow upstroke, faster downstroke.
    add(.t, tPeak - 1.1 * tWidth, 1.6 * tWidth, 0.55 * tVector)
    add(.t, tPeak, tWidth, 0.6 * tVector)
    self.events = events
    qrsArea = area
  }

  /// The dipole at phase `theta`.
  func dipole(at theta: Double) -> HeartVector {
    var (x, y, z) = (0.0, 0.0, 0.0)
    let twoPi = 2 * Double.pi
    let wrapped = theta - twoPi * ((theta + Double.pi) / twoPi).rounded(.down)  // in [−π, π)
    for e in events {
      // Event angles lie in (−2π, 2π), so one or two corrections bring Δθ into [−π, π).
      var delta = wrapped - e.angle
      while delta >= Double.pi { delta -= twoPi }
      while delta < -Double.pi { delta += twoPi }
      let u = delta / e.width
      guard u * u < 50 else { continue }
      let g = exp(-0.5 * u * u)
      x += g * e.vector.x
      y += g * e.vector.y
      z += g * e.vector.z
    }
    return HeartVector(x, y, z)
  }

  /// The dipole of the QRS events alone at time `t` from the R peak (at the mean rate).
  func qrsDipole(atTime t: Double) -> HeartVector {
    var sum = HeartVector(0, 0, 0)
    for e in events where e.wave == .qrs {
      let u = (t - e.time) / e.timeWidth
      sum = sum + exp(-0.5 * u * u) * e.vector
    }
    return sum
  }

  /// The frontal rotation (radians) that brings the hexaxial angle of the net QRS area, as leads I and
  /// aVF see it, to `targetDegrees`. The area's z part is fixed, so solve M·a' + c = k·u for the rotated
  /// frontal part a' with |a'| = |a| and k > 0.
  static func frontalRotation(area: HeartVector, targetDegrees: Double) -> Double {
    let s = 2 / 3.0.squareRoot()
    let (i, ii) = (LeadSystem.dower[0], LeadSystem.dower[1])
    // Rows: lead I and (2/√3)·aVF = (2/√3)(II − I/2).
    let m = [[i.0, i.1], [s * (ii.0 - i.0 / 2), s * (ii.1 - i.1 / 2)]]
    let c = [i.2 * area.z, s * (ii.2 - i.2 / 2) * area.z]
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
    func solve(_ v: [Double]) -> [Double] {
      [(m[1][1] * v[0] - m[0][1] * v[1]) / det, (m[0][0] * v[1] - m[1][0] * v[0]) / det]
    }
    let target = targetDegrees * Double.pi / 180
    let p = solve([cos(target), sin(target)])
    let q = solve(c)
    let r2 = area.x * area.x + area.y * area.y
    let pp = p[0] * p[0] + p[1] * p[1]
    let pq = p[0] * q[0] + p[1] * q[1]
    let qq = q[0] * q[0] + q[1] * q[1]
    let k = (pq + max(0, pq * pq - pp * (qq - r2)).squareRoot()) / pp
    let rotated = [k * p[0] - q[0], k * p[1] - q[1]]
    return atan2(rotated[1], rotated[0]) - atan2(area.y, area.x)
  }
}
