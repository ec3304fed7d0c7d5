import Foundation

/// Foundation and POSIX file errors as plain sentences ("permission denied", "the disk is full"), so no
/// command prints an `NSCocoaErrorDomain` dump.
public enum FileErrorText {
  /// What went wrong with `error`, as a short phrase without the path (e.g. "permission denied").
  public static func reason(_ error: any Error) -> String {
    let ns = error as NSError
    if let code = posixCode(ns) { return posixReason(code) }
    if ns.domain == NSCocoaErrorDomain {
      switch ns.code {
      case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue:
        return "permission denied"
      case CocoaError.fileWriteOutOfSpace.rawValue: return "the disk is full"
      case CocoaError.fileReadNoSuchFile.rawValue, CocoaError.fileNoSuchFile.rawValue:
        return "no such file or folder"
      case CocoaError.fileWriteVolumeReadOnly.rawValue: return "the file system is read-only"
      case CocoaError.fileWriteFileExists.rawValue: return "it already exists"
      case CocoaError.fileWriteInvalidFileName.rawValue: return "the name is not valid"
      default: break
      }
    }
    if ns.domain != NSCocoaErrorDomain { return String(describing: error) }
    // Creating a folder below a file fails with Foundation's generic "error 512".
    if let path = path(error), let file = fileAncestor(of: path) { return "\(file) is a file, not a folder" }
    return ns.localizedDescription
  }

  /// The nearest existing ancestor of `path` when it is a file rather than a folder.
  static func fileAncestor(of path: String) -> String? {
    var url = URL(fileURLWithPath: path).deletingLastPathComponent()
    while url.path != "/" && !url.path.isEmpty {
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
        return isFolder.boolValue ? nil : url.path
      }
      url = url.deletingLastPathComponent()
    }
    return nil
  }

  /// The path named by a Foundation error, when it names one.
  public static func path(_ error: any Error) -> String? {
    let info = (error as NSError).userInfo
    return info[NSFilePathErrorKey] as? String ?? (info[NSURLErrorKey] as? URL)?.path
  }

  /// "cannot `action` `path`: reason" plus what to do for the common causes.
  public static func sentence(_ error: any Error, action: String, path: String) -> String {
    let why = reason(error)
    var text = "cannot \(action) \(path): \(why)"
    switch why {
    case "permission denied", "the file system is read-only": text += "; choose a folder you can write to"
    case "the disk is full": text += "; free some space or choose another disk"
    case "no such file or folder": text += "; check the path"
    case _ where why.hasSuffix("is a file, not a folder"): text += "; choose another path"
    default: break
    }
    return text
  }

  private static func posixCode(_ error: NSError) -> Int32? {
    if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return Int32(underlying.code)
    }
    return nil
  }

  /// A sentence for an `errno` value.
  public static func posixReason(_ code: Int32) -> String {
    switch code {
    case EACCES, EPERM: return "permission denied"
    case ENOSPC, EDQUOT: return "the disk is full"
    case ENOENT: return "no such file or folder"
    case EROFS: return "the file system is read-only"
    case EEXIST: return "it already exists"
    case ENOTDIR: return "a part of the path is not a folder"
    case EISDIR: return "it is a folder"
    default: return String(cString: strerror(code))
    }
  }

  /// Runs `body`, turning any error that is not already a `StoreError` into one with a sentence.
  static func storeError<T>(_ action: String, _ path: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(sentence(error, action: action, path: path))
    }
  }
}
