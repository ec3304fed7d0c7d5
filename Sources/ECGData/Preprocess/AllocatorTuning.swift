#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide allocator settings for the data pipeline.
public enum AllocatorTuning {
  /// Keeps freed memory in the process instead of returning it to the kernel after every record.
  ///
  /// Worker threads allocate and free the same few megabytes per record; with glibc's defaults the
  /// freed pages are trimmed and faulted in again each time, which costs more than decoding the record.
  /// `mallopt` is looked up at run time because Swift's Glibc module does not export it.
  public static func keepFreedMemory() {
    #if canImport(Glibc)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      // M_TRIM_THRESHOLD (-1) and M_MMAP_THRESHOLD (-3) from <malloc.h>.
      _ = mallopt(-1, 256 << 20)
      _ = mallopt(-3, 32 << 20)
    #endif
  }

  /// Makes threads share one malloc arena (`M_ARENA_MAX` = 1).
  ///
  /// Loader workers allocate each batch's tensors (megabytes) in their own thread, and the training thread frees
  /// them. With per-thread arenas, a worker's heap that empties is unmapped and the next batch faults its pages
  /// in again; with one arena the memory is reused. Measured with `ecg bench loader --store S --workers 0 2
  /// --batches 300 --batch-size 64` (signal): 2 workers went from ~35k to ~47k samples per CPU-second (0 workers:
  /// ~50k either way). The loader makes a few allocations per batch, so sharing the arena costs no contention
  /// worth measuring there.
  public static func shareOneArena() {
    #if canImport(Glibc)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      // M_ARENA_MAX (-8) from <malloc.h>.
      _ = mallopt(-8, 1)
    #endif
  }
}
