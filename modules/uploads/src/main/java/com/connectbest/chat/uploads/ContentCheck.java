package com.connectbest.chat.uploads;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a file's bytes must look like for its extension. The client's file name and Content-Type are never
 * believed: the first {@value #HEAD_BYTES} bytes must carry the format's signature (magic bytes), text formats
 * must contain no NUL byte anywhere, and executables are refused whatever they are called. The stored content
 * type is the one of the verified format.
 */
final class ContentCheck {

  /** How much of the start of a file is inspected (tar's signature sits at 257, SVG's root may follow a prolog). */
  static final int HEAD_BYTES = 8192;

  private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("pdf", "application/pdf"), Map.entry("doc", "application/msword"),
      Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("rtf", "application/rtf"),
      Map.entry("xls", "application/vnd.ms-excel"),
      Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
      Map.entry("csv", "text/csv"),
      Map.entry("zip", "application/zip"), Map.entry("rar", "application/vnd.rar"),
      Map.entry("7z", "application/x-7z-compressed"), Map.entry("tar", "application/x-tar"),
      Map.entry("gz", "application/gzip"),
      Map.entry("mp4", "video/mp4"), Map.entry("avi", "video/x-msvideo"), Map.entry("mov", "video/quicktime"),
      Map.entry("wmv", "video/x-ms-wmv"), Map.entry("mkv", "video/x-matroska"),
      Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
      Map.entry("flac", "audio/flac"));

  /** Formats a browser may render inline from the storage origin; everything else is served as an attachment. */
  private static final Set<String> INLINE = Set.of("png", "jpg", "jpeg", "gif", "webp", "bmp", "pdf",
      "mp4", "mov", "mp3", "wav", "ogg", "flac");
  private static final Set<String> TEXT = Set.of("txt", "md", "csv", "svg");

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A,
      (byte) 0xE1};
  private static final byte[] SEVEN_ZIP = {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C};
  private static final byte[] ASF = {0x30, 0x26, (byte) 0xB2, 0x75, (byte) 0x8E, 0x66, (byte) 0xCF, 0x11};
  private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
  private static final byte[] GZIP = {0x1F, (byte) 0x8B};
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final byte[][] EXECUTABLES = {
      {'M', 'Z'},                                            // DOS / Windows PE
      {0x7F, 'E', 'L', 'F'},                                 // ELF
      {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE},  // Mach-O 32
      {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCF},  // Mach-O 64
      {(byte) 0xCE, (byte) 0xFA, (byte) 0xED, (byte) 0xFE},  // Mach-O 32, little-endian
      {(byte) 0xCF, (byte) 0xFA, (byte) 0xED, (byte) 0xFE},  // Mach-O 64, little-endian
      {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE},  // Mach-O universal (and Java classes)
      {'#', '!'},                                            // scripts
  };
  private static final Set<String> QUICKTIME_ATOMS = Set.of("ftyp", "moov", "mdat", "wide", "free", "skip", "pnot");

  private ContentCheck() {
  }

  static String contentType(String extension) {
    return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
  }

  static boolean inline(String extension) {
    return INLINE.contains(extension);
  }

  /** Text formats: every byte of the file is scanned for NUL. */
  static boolean isText(String extension) {
    return TEXT.contains(extension);
  }

  /** True when the bytes contain a NUL byte. */
  static boolean hasNul(Buffer bytes) {
    for (int i = 0, n = bytes.length(); i < n; i++) {
      if (bytes.getByte(i) == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why the start of a file does not fit its extension, or null when it does. {@code head} holds the first
   * {@link #HEAD_BYTES} bytes, or the whole file when it is shorter.
   */
  static String mismatch(String extension, Buffer head) {
    byte[] b = head.getBytes(0, Math.min(head.length(), HEAD_BYTES));
    for (byte[] executable : EXECUTABLES) {
      if (startsWith(b, 0, executable)) {
        return "Executable files are not allowed";
      }
    }
    boolean ok = switch (extension) {
      case "png" -> startsWith(b, 0, PNG);
      case "jpg", "jpeg" -> startsWith(b, 0, JPEG);
      case "gif" -> ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a");
      case "webp" -> riff(b, "WEBP");
      case "bmp" -> ascii(b, 0, "BM") && b.length >= 26;
      case "svg" -> svg(b);
      case "pdf" -> ascii(b, 0, "%PDF-");
      case "doc", "xls" -> startsWith(b, 0, OLE2);
      case "docx", "xlsx", "zip" -> ascii(b, 0, "PK\u0003\u0004")
          || ("zip".equals(extension) && (ascii(b, 0, "PK\u0005\u0006") || ascii(b, 0, "PK\u0007\u0008")));
      case "rtf" -> ascii(b, 0, "{\\rtf");
      case "txt", "md", "csv" -> !hasNul(head);
      case "rar" -> ascii(b, 0, "Rar!\u001A\u0007");
      case "7z" -> startsWith(b, 0, SEVEN_ZIP);
      case "tar" -> ascii(b, 257, "ustar");
      case "gz" -> startsWith(b, 0, GZIP);
      case "mp4" -> b.length >= 12 && ascii(b, 4, "ftyp");
      case "mov" -> b.length >= 12 && QUICKTIME_ATOMS.contains(new String(b, 4, 4, StandardCharsets.ISO_8859_1));
      case "avi" -> riff(b, "AVI ");
      case "wmv" -> startsWith(b, 0, ASF);
      case "mkv" -> startsWith(b, 0, EBML);
      case "mp3" -> ascii(b, 0, "ID3") || (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0);
      case "wav" -> riff(b, "WAVE");
      case "ogg" -> ascii(b, 0, "OggS");
      case "flac" -> ascii(b, 0, "fLaC");
      default -> false;
    };
    if (ok) {
      return null;
    }
    return switch (extension) {
      case "txt", "md", "csv" -> "The file is not a text file";
      case "svg" -> "The file is not an SVG image";
      default -> "The file content does not match its ." + extension + " extension";
    };
  }

  private static boolean svg(byte[] b) {
    if (hasNul(Buffer.buffer(b))) {
      return false;
    }
    int start = startsWith(b, 0, UTF8_BOM) ? UTF8_BOM.length : 0;
    String text = new String(b, start, b.length - start, StandardCharsets.UTF_8).stripLeading();
    String lower = text.toLowerCase(Locale.ROOT);
    boolean prolog = lower.startsWith("<?xml") || lower.startsWith("<svg") || lower.startsWith("<!--")
        || lower.startsWith("<!doctype svg");
    return prolog && text.contains("<svg");
  }

  private static boolean riff(byte[] b, String form) {
    return ascii(b, 0, "RIFF") && ascii(b, 8, form);
  }

  private static boolean ascii(byte[] b, int offset, String text) {
    return startsWith(b, offset, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
    if (b.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
