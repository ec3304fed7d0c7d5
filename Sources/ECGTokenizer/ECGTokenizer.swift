// ECGTokenizer module.
