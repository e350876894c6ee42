package com.connectbest.chat.uploads;

import java.util.List;

/**
 * What a file is uploaded for: its key folder, the extensions allowed and the size limit. Avatars are small
 * images anyone may fetch; message files follow the visibility of the messages that carry them.
 */
enum FileKind {
  AVATAR("avatars", 5L * 1024 * 1024, List.of("png", "jpg", "jpeg", "gif", "webp")),
  MESSAGE("messages", 50L * 1024 * 1024, List.of(
      "png", "jpg", "jpeg", "gif", "webp", "bmp", "svg",
      "pdf", "doc", "docx", "txt", "md", "rtf",
      "xls", "xlsx", "csv",
      "zip", "rar", "7z", "tar", "gz",
      "mp4", "avi", "mov", "wmv", "mkv",
      "mp3", "wav", "ogg", "flac"));

  private final String folder;
  private final long maxBytes;
  private final List<String> extensions;

  FileKind(String folder, long maxBytes, List<String> extensions) {
    this.folder = folder;
    this.maxBytes = maxBytes;
    this.extensions = extensions;
  }

  String folder() {
    return folder;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The allowed extensions, in the spec's order. */
  List<String> extensions() {
    return extensions;
  }

  boolean allows(String extension) {
    return extension != null && extensions.contains(extension);
  }

  /** The stored name of the kind, as in the {@code message_files.kind} field. */
  String id() {
    return this == AVATAR ? "avatar" : "message";
  }

  static FileKind ofFolder(String folder) {
    for (FileKind kind : values()) {
      if (kind.folder.equals(folder)) {
        return kind;
      }
    }
    return null;
  }

  /** The HTTP operation a file arrives with decides its kind. */
  static FileKind ofOperation(String operation) {
    return switch (operation == null ? "" : operation) {
      case UploadsApi.UPLOAD_AVATAR, UploadsApi.SET_MY_AVATAR -> AVATAR;
      case UploadsApi.UPLOAD_MESSAGE_FILE -> MESSAGE;
      default -> null;
    };
  }

  /** "5 MB" for messages. */
  String limitText() {
    return (maxBytes / (1024 * 1024)) + " MB";
  }
}
