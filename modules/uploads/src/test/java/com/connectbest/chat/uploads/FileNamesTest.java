package com.connectbest.chat.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  @DisplayName("a client's file name keeps only its last segment, without control characters, quotes or leading dots")
  void sanitise() {
    assertEquals("report.pdf", FileNames.sanitise("../../etc/report.pdf"));
    assertEquals("report.pdf", FileNames.sanitise("C:\\Users\\ann\\report.pdf"));
    assertEquals("a b.txt", FileNames.sanitise("a\r\n\t b\u0000.txt"));
    assertEquals("say hi.txt", FileNames.sanitise("say \"hi\".txt"));
    assertEquals("htaccess", FileNames.sanitise("...htaccess"));
    assertEquals("Grüße.md", FileNames.sanitise("Grüße.md"));
    assertEquals("evil.txt", FileNames.sanitise("evil\u202E.txt"), "bidi override removed");
    assertNull(FileNames.sanitise("  /  "));
    assertNull(FileNames.sanitise(null));
    String longName = FileNames.sanitise("x".repeat(400) + ".pdf");
    assertEquals(FileNames.MAX_ORIGINAL_NAME, longName.length());
    assertTrue(longName.endsWith(".pdf"));
  }

  @Test
  @DisplayName("extensions are lower-cased and plain; keys never contain the client's name")
  void extensionsAndKeys() {
    assertEquals("png", FileNames.extension("Photo.PNG"));
    assertNull(FileNames.extension("archive."));
    assertNull(FileNames.extension("noext"));
    assertNull(FileNames.extension("a.p/ng"));
    String key = FileNames.newKey(FileKind.MESSAGE, "pdf");
    assertTrue(key.matches("messages/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.pdf"), key);
    assertTrue(FileNames.STORED_NAME.matcher(key.substring("messages/".length())).matches());
  }

  @Test
  @DisplayName("Content-Disposition carries any name safely: an ASCII fallback and the exact UTF-8 name")
  void contentDisposition() {
    assertEquals("attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
        FileNames.contentDisposition(false, "résumé.pdf"));
    assertEquals("inline; filename=\"a b.png\"; filename*=UTF-8''a%20b.png", FileNames.contentDisposition(true, "a b.png"));
  }
}
