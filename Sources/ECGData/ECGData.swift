// ECGData module.
