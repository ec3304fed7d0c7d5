import Torch

/// A 12-lead ECG from a lead-conditioned output (evaluation.md §7.3, for plots only): the conditioning lead at
/// its index, the seven generated leads at the other independent positions (I, II, V1–V6), and III, aVR, aVL,
/// aVF derived from I and II by Einthoven's and Goldberger's relations (exact in millivolts, approximate on
/// min-max normalised values).
///
/// - Parameters: `generated` [7, L] (the independent leads except `conditionLead`, in order), `condition` [L],
///   `conditionLead` one of 0, 1, 6…11.
/// - Returns: [12, L] in the standard order I, II, III, aVR, aVL, aVF, V1–V6.
public func stitchTwelveLeads(generated: Tensor, condition: Tensor, conditionLead: Int) -> Tensor {
  let independent = [0, 1, 6, 7, 8, 9, 10, 11]
  precondition(independent.contains(conditionLead), "the conditioning lead must be one of \(independent)")
  let generatedLeads = independent.filter { $0 != conditionLead }
  precondition(generated.shape.count == 2 && generated.shape[0] == 7, "generated must be [7, L]")
  var rows = [Tensor?](repeating: nil, count: 12)
  rows[conditionLead] = condition.to(.float32)
  for (row, lead) in generatedLeads.enumerated() { rows[lead] = generated[row].to(.float32) }
  let (one, two) = (rows[0]!, rows[1]!)
  let three = two - one
  rows[2] = three
  rows[3] = (one + two) * -0.5
  rows[4] = (one - three) * 0.5
  rows[5] = (two + three) * 0.5
  return Tensor.stack(rows.map { $0! }, dim: 0)
}
