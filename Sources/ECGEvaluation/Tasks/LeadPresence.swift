import ECGCore
import ECGData

/// Per item of `batch`, whether it holds each of `leads` (standard names, in the signal's row order): the
/// batch's `leadMasks`, or every lead present without them.
func leadPresence(_ batch: Batch<SignalBatch>, leads: [String]) -> [[Bool]] {
  let rows = leads.map { StandardLeads.names.firstIndex(of: $0)! }
  return (0..<batch.size).map { item in rows.map { batch.leadMasks?[item][$0] ?? true } }
}
