# ECGEncoder developer loop. Everything works from a fresh clone: `make test` sets up libtorch if missing.
SWIFT ?= swift
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_FLAGS ?= -j $(JOBS)

.PHONY: setup build release test demo bench format clean dist

setup:
	@scripts/setup-libtorch.sh
	@scripts/setup-nccl.sh || echo "(continuing without the NCCL plugin: only multi-GPU training needs it)"
	@scripts/setup-text-model.sh
	@scripts/setup-hdf5.sh || echo "(continuing: everything but CODE-15 works without libhdf5)"

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

release: setup
	$(SWIFT) build -c release $(BUILD_FLAGS)

test: setup
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build

# A tiny DiT pretrained on synthetic ECGs on the CPU (a few minutes), sampled and drawn beside real ones.
demo: release
	@scripts/demo.sh

# A bundle for machines without Swift: static Swift runtime, the C shim as lib/libctorch.so (rebuilt against
# the target's PyTorch when its version differs), a launcher reading ECG_LIBTORCH. See scripts/dist.sh.
dist: setup
	JOBS=$(JOBS) scripts/dist.sh dist/ecg-bundle

bench: release
	.build/release/ecg bench ops

# swift-format from the toolchain, configured by .swift-format (120 columns, 2 spaces).
format:
	$(SWIFT) format format -i -r --parallel Sources Tests Package.swift

clean:
	rm -rf .build
