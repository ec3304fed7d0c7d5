// Compiled instead of the shim when libtorch is not installed, so the build stops with one clear message.
#error "libtorch 2.11 was not found (in $ECG_LIBTORCH, default ~/.cache/ecg-encoder/libtorch-2.11.0): run `make setup`, or set ECG_LIBTORCH to a PyTorch 2.11 install's torch folder"
