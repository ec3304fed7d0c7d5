extension PretrainCommand {
  /// Notes for `given` flags that the run's other settings leave without effect (the reference takes them
  /// silently).
  static func ineffectiveFlagNotes(given: Set<String>, settings: PretrainSettings) -> [String] {
    let rules: [(flag: String, applies: Bool, needs: String)] = [
      ("ema_decay", settings.ema, "--ema"),
      ("condition_lead", settings.condition == "lead", "--condition lead"),
      ("condition_text_max_len", settings.condition == "text", "--condition text"),
      ("condition_dropout", settings.condition != nil, "--condition text or lead"),
      ("min_lr_ratio", settings.lrSchedule == "cosine", "--lr_schedule cosine"),
      ("muon_momentum", settings.optimizer == "muon", "--optimizer muon"),
      ("muon_ns_steps", settings.optimizer == "muon", "--optimizer muon"),
      ("muon_adamw_lr_ratio", settings.optimizer == "muon", "--optimizer muon"),
      ("signal_head_layers", settings.signalHead, "--signal_head"),
      ("signal_head_num_steps", settings.signalHead, "--signal_head"),
      ("flow_loss_weight", settings.signalHead, "--signal_head"),
      ("bpe_symbolic_len", settings.dataRepresentation == "bpe_symbolic", "--data_representation bpe_symbolic"),
    ]
    return rules.filter { given.contains($0.flag) && !$0.applies }.map {
      "--\($0.flag) has no effect without \($0.needs)"
    }
  }
}
