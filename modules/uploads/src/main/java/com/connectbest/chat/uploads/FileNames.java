package com.connectbest.chat.uploads;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Names: the client's file name only ever becomes sanitised metadata ({@code original_name}); object keys are
 * {@code <folder>/<uuid>.<ext>} with the lower-cased, verified extension.
 */
final class FileNames {

  static final int MAX_ORIGINAL_NAME = 255;
  /** A stored file's name as it appears in keys and in {@code /api/files/{folder}/{fileName}}. */
  static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.[a-z0-9]{1,5}");
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,5}");

  private FileNames() {
  }

  /**
   * The last path segment of the client's name (browsers on Windows used to send full paths), without control
   * characters, quotes or backslashes, whitespace collapsed, at most 255 characters; null when nothing is left.
   */
  static String sanitise(String name) {
    if (name == null) {
      return null;
    }
    String base = name;
    int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
    if (slash >= 0) {
      base = base.substring(slash + 1);
    }
    StringBuilder clean = new StringBuilder();
    base.codePoints()
        .filter(cp -> !Character.isISOControl(cp) && cp != '"' && cp != '\\' && Character.getType(cp) != Character.FORMAT)
        .map(cp -> Character.isWhitespace(cp) ? ' ' : cp)
        .forEach(clean::appendCodePoint);
    String text = clean.toString().replaceAll(" {2,}", " ").strip();
    while (text.startsWith(".")) {
      text = text.substring(1);
    }
    if (text.isEmpty()) {
      return null;
    }
    if (text.codePointCount(0, text.length()) > MAX_ORIGINAL_NAME) {
      String extension = extension(text);
      int keep = MAX_ORIGINAL_NAME - (extension == null ? 0 : extension.length() + 1);
      text = text.substring(0, text.offsetByCodePoints(0, keep)) + (extension == null ? "" : "." + extension);
    }
    return text;
  }

  /** The lower-cased extension of a name ({@code "Report.PDF"} → {@code "pdf"}), or null. */
  static String extension(String name) {
    if (name == null) {
      return null;
    }
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return null;
    }
    String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return EXTENSION.matcher(extension).matches() ? extension : null;
  }

  static String newKey(FileKind kind, String extension) {
    return kind.folder() + "/" + UUID.randomUUID() + "." + extension;
  }

  /** {@code attachment; filename="..."; filename*=UTF-8''...} (or inline), safe for any original name. */
  static String contentDisposition(boolean inline, String originalName) {
    String name = originalName == null ? "file" : originalName;
    String ascii = name.replaceAll("[^\\x20-\\x7E]", "_").replace("\"", "_").replace("\\", "_");
    return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(name);
  }

  /** RFC 3986 unreserved characters kept, everything else as UTF-8 %XX (also used for S3 metadata values). */
  static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
