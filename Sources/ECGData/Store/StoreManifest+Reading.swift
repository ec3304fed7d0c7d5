import ECGCore
import Foundation

extension StoreManifest {
  /// The manifest of the store folder `store`, checked as `DatasetStore` opens it: throws, naming the file and what
  /// to do, when the store is unfinished (and the command that finishes it), damaged, or of another format or
  /// version. Cheap: it reads `store.json` alone.
  public init(store: URL) throws {
    let manifestURL = store.appendingPathComponent("store.json")
    guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
      let exists = FileManager.default.fileExists(atPath: store.path)
      let command = UnfinishedStore.command(of: store.path).map { "`\($0)`" } ?? "the command that made it"
      throw StoreError(
        "\(store.path) is not a dataset store (\(exists ? "no store.json" : "no such folder"))"
          + (UnfinishedStore.workFolder(of: store.path).map {
            "; \($0) holds an unfinished run: re-run \(command) to finish it"
          }
            ?? ""))
    }
    let manifest: StoreManifest
    do {
      manifest = try JSONDecoder().decode(StoreManifest.self, from: data)
    } catch {
      throw StoreError(
        "\(manifestURL.path) is not a valid store manifest (\(DecodingFailure.reason(error))): the store is damaged; "
          + "re-create it")
    }
    guard manifest.format == StoreManifest.formatName else {
      throw StoreError("\(manifestURL.path): format '\(manifest.format)' is not \(StoreManifest.formatName)")
    }
    guard manifest.version == StoreManifest.currentVersion else {
      throw StoreError(
        "\(store.path) is store version \(manifest.version); this ecg reads version \(StoreManifest.currentVersion): re-create it with `ecg preprocess`"
      )
    }
    self = manifest
  }
}
