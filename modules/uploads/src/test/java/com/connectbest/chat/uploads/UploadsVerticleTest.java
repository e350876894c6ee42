package com.connectbest.chat.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class UploadsVerticleTest {

  private static final Pattern AVATAR_KEY = Pattern.compile(
      "avatars/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.png");

  private static UploadsHarness harness;
  private static WebClient web;

  @BeforeAll
  static void start() {
    harness = new UploadsHarness(new JsonObject().put("UPLOAD_SESSION_TIMEOUT_MS", 3000));
    web = WebClient.create(harness.vertx);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static ApiException refused(io.vertx.core.Future<?> outcome) {
    return assertThrows(ApiException.class, outcome::await);
  }

  @Test
  @DisplayName("a PNG avatar is stored under avatars/<uuid>.png with the verified type and sanitised name, recorded, and set as the caller's avatar")
  void avatarStored() {
    Principal ann = UploadsHarness.user("Ann");
    Buffer png = Samples.png(40_000);
    ServiceReply reply = harness.upload(ann, "uploadAvatar", "C:\\Users\\ann\\Me \"smiling\".PNG", png).await();

    assertEquals(200, reply.status());
    JsonObject body = (JsonObject) reply.body();
    assertEquals(true, body.getBoolean("success"));
    String key = body.getString("filename");
    assertTrue(AVATAR_KEY.matcher(key).matches(), key);
    assertEquals(harness.publicUrl + "/api/files/" + key, body.getString("avatar_url"));

    HeadObjectResponse head = harness.verticle.storage().head(key).await();
    assertNotNull(head, "object stored");
    assertEquals("image/png", head.contentType());
    assertEquals(40_000L, head.contentLength());
    assertEquals("Me%20smiling.PNG", head.metadata().get("original-name"));
    assertEquals(ann.id(), head.metadata().get("owner-id"));

    JsonObject record = harness.record(key);
    assertEquals("avatar", record.getString("kind"));
    assertEquals(ann.id(), record.getString("owner_id"));
    assertEquals("Me smiling.PNG", record.getString("original_name"));
    assertEquals("image/png", record.getString("content_type"));
    assertEquals(40_000L, record.getLong("size"));
    assertNotNull(record.getValue("created_at"));

    assertTrue(harness.profileUpdates.contains(new JsonObject().put("avatar", body.getString("avatar_url"))
        .put("caller", ann.id())), harness.profileUpdates.toString());
    assertEquals(0, harness.verticle.openSessions());
  }

  @Test
  @DisplayName("a 12 MiB file goes to S3 as a multipart upload and its presigned URL downloads exactly the same bytes")
  void multipartAndPresignedDownload() {
    Principal ann = UploadsHarness.user("Ann");
    Buffer video = Samples.withPrefix(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'},
        12 * 1024 * 1024, 7);
    ServiceReply reply = harness.upload(ann, "uploadMessageFile", "holiday.mp4", video).await();
    JsonObject body = (JsonObject) reply.body();
    String key = body.getString("filename");
    assertTrue(key.matches("messages/[0-9a-f-]{36}\\.mp4"), key);
    assertEquals("holiday.mp4", body.getString("original_name"));
    assertEquals(12L * 1024 * 1024, body.getLong("size"));
    assertEquals("video/mp4", body.getString("type"));
    assertTrue(harness.profileUpdates.stream().noneMatch(update -> update.getString("caller").equals(ann.id())),
        "a message file does not touch the profile");

    HeadObjectResponse head = harness.verticle.storage().head(key).await();
    assertTrue(head.eTag().replace("\"", "").endsWith("-2"), "multipart ETag of two parts: " + head.eTag());
    assertTrue(harness.verticle.storage().pendingMultiparts().await().isEmpty());

    ServiceReply redirect = harness.getFile(ann, key).await();
    assertEquals(302, redirect.status());
    String location = redirect.headers().getString("Location");
    assertTrue(location.contains("X-Amz-Expires=300"), location);
    HttpResponse<Buffer> download = web.getAbs(location).send().await();
    assertEquals(200, download.statusCode());
    assertEquals("video/mp4", download.getHeader("Content-Type"));
    assertTrue(download.getHeader("Content-Disposition").startsWith("inline; filename=\"holiday.mp4\""));
    assertEquals(video, download.body());
  }

  @Test
  @DisplayName("a .png whose bytes are not a PNG is refused with 400 at the first chunk, and nothing is stored")
  void fakePng() {
    Principal ann = UploadsHarness.user("Ann");
    String session = harness.begin(ann, "uploadMessageFile", "cat.png", 300_000).await();
    ApiException error = refused(harness.chunk(session, Samples.withPrefix("GIF89a".getBytes(), 262_144, 1)));
    assertEquals(400, error.status());
    assertEquals("The file content does not match its .png extension", error.getMessage());
    assertEquals(0, harness.verticle.openSessions(), "the session ended");
    assertEquals(503, refused(harness.complete(session)).status(), "its address is gone");
  }

  @Test
  @DisplayName("executables are refused whatever they are called: MZ as .pdf, ELF as .txt, a shebang script as .md")
  void executables() {
    Principal ann = UploadsHarness.user("Ann");
    ApiException pe = refused(harness.upload(ann, "uploadMessageFile", "invoice.pdf",
        Samples.withPrefix("MZ\u0090\u0000%PDF-1.7".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 5000, 2)));
    assertEquals(400, pe.status());
    assertEquals("Executable files are not allowed", pe.getMessage());
    ApiException elf = refused(harness.upload(ann, "uploadMessageFile", "notes.txt",
        Samples.withPrefix(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1}, 3000, 3)));
    assertEquals(400, elf.status());
    ApiException script = refused(harness.upload(ann, "uploadMessageFile", "readme.md",
        Samples.ascii("#!/bin/sh\nrm -rf /\n")));
    assertEquals("Executable files are not allowed", script.getMessage());
    ApiException avatar = refused(harness.upload(ann, "uploadAvatar", "me.gif",
        Samples.withPrefix("MZGIF89a".getBytes(), 2000, 4)));
    assertEquals(400, avatar.status());
    assertTrue(harness.profileUpdates.stream().noneMatch(update -> update.getString("caller").equals(ann.id())));
  }

  @Test
  @DisplayName("text files must be text: a NUL byte is refused even far beyond the first chunk; clean text passes")
  void textWithNul() {
    Principal ann = UploadsHarness.user("Ann");
    Buffer csv = Samples.text(700_000);
    csv.setByte(650_000, (byte) 0);
    ApiException error = refused(harness.upload(ann, "uploadMessageFile", "report.csv", csv));
    assertEquals(400, error.status());
    assertEquals("The file is not a text file", error.getMessage());
    assertTrue(harness.verticle.storage().pendingMultiparts().await().isEmpty());

    ServiceReply ok = harness.upload(ann, "uploadMessageFile", "report.csv", Samples.text(700_000)).await();
    assertEquals("text/csv", ((JsonObject) ok.body()).getString("type"));
    ServiceReply utf8 = harness.upload(ann, "uploadMessageFile", "notes.txt", Samples.ascii("Grüße, 日本語 ✓")).await();
    assertEquals("text/plain", ((JsonObject) utf8.body()).getString("type"));
  }

  @Test
  @DisplayName("an .svg must be SVG XML; an HTML page renamed .svg is refused")
  void svg() {
    Principal ann = UploadsHarness.user("Ann");
    ServiceReply ok = harness.upload(ann, "uploadMessageFile", "logo.svg", Samples.ascii(
        "\uFEFF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>")).await();
    assertEquals("image/svg+xml", ((JsonObject) ok.body()).getString("type"));
    ApiException html = refused(harness.upload(ann, "uploadMessageFile", "logo.svg",
        Samples.ascii("<html><script>alert(1)</script></html>")));
    assertEquals("The file is not an SVG image", html.getMessage());
  }

  @Test
  @DisplayName("the magic bytes of every allowed format are recognised")
  void formats() {
    Principal ann = UploadsHarness.user("Ann");
    byte[] tar = new byte[600];
    System.arraycopy("ustar".getBytes(), 0, tar, 257, 5);
    Object[][] cases = {
        {"a.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, "image/jpeg"},
        {"a.webp", "RIFF\0\0\0\0WEBPVP8 ".getBytes(), "image/webp"},
        {"a.docx", "PK\u0003\u0004".getBytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"a.xls", new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1},
            "application/vnd.ms-excel"},
        {"a.rtf", "{\\rtf1\\ansi".getBytes(), "application/rtf"},
        {"a.7z", new byte[] {'7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C}, "application/x-7z-compressed"},
        {"a.tar", tar, "application/x-tar"},
        {"a.gz", new byte[] {0x1F, (byte) 0x8B, 8}, "application/gzip"},
        {"a.mkv", new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}, "video/x-matroska"},
        {"a.mp3", "ID3\u0004".getBytes(), "audio/mpeg"},
        {"a.wav", "RIFF\0\0\0\0WAVEfmt ".getBytes(), "audio/wav"},
        {"a.flac", "fLaC".getBytes(), "audio/flac"},
    };
    for (Object[] sample : cases) {
      Buffer bytes = Samples.withPrefix((byte[]) sample[1], 1200, 5);
      if ("a.tar".equals(sample[0])) {
        bytes = Buffer.buffer(tar);
      }
      ServiceReply reply = harness.upload(ann, "uploadMessageFile", (String) sample[0], bytes).await();
      assertEquals(sample[2], ((JsonObject) reply.body()).getString("type"), (String) sample[0]);
    }
    assertEquals(400, refused(harness.upload(ann, "uploadMessageFile", "a.zip", Samples.ascii("not a zip"))).status());
  }

  @Test
  @DisplayName("beginUpload refuses before any byte: no caller 401, wrong extension 400, over the kind's limit 413, empty 400")
  void beginRefusals() {
    Principal ann = UploadsHarness.user("Ann");
    assertEquals(401, refused(harness.begin(null, "uploadAvatar", "a.png", 10)).status());
    ApiException extension = refused(harness.begin(ann, "uploadAvatar", "a.bmp", 10));
    assertEquals(400, extension.status());
    assertTrue(extension.getMessage().startsWith("File type not allowed. Allowed: png, jpg, jpeg, gif, webp"));
    assertEquals(400, refused(harness.begin(ann, "uploadMessageFile", "setup.exe", 10)).status());
    assertEquals(400, refused(harness.begin(ann, "uploadMessageFile", "no-extension", 10)).status());
    ApiException big = refused(harness.begin(ann, "uploadAvatar", "a.png", 5L * 1024 * 1024 + 1));
    assertEquals(413, big.status());
    assertEquals("File too large (max 5 MB)", big.getMessage());
    assertEquals(413, refused(harness.begin(ann, "uploadMessageFile", "a.zip", 50L * 1024 * 1024 + 1)).status());
    assertEquals(400, refused(harness.begin(ann, "uploadMessageFile", "a.txt", 0)).status());
    assertEquals(400, refused(harness.begin(ann, "deleteEverything", "a.txt", 10)).status());
    assertEquals("No file provided", refused(harness.send("uploadAvatar", ann, null)).getMessage());
    assertEquals(0, harness.verticle.openSessions());
  }

  @Test
  @DisplayName("a sender cannot exceed what it announced, nor the kind's limit, nor complete short")
  void sizeIsEnforcedWhileStreaming() {
    Principal ann = UploadsHarness.user("Ann");
    String session = harness.begin(ann, "uploadMessageFile", "a.txt", 100).await();
    ApiException more = refused(harness.chunk(session, Samples.text(101)));
    assertEquals(400, more.status());
    assertEquals("The file is larger than announced", more.getMessage());

    String shortSession = harness.begin(ann, "uploadMessageFile", "a.txt", 100).await();
    harness.chunk(shortSession, Samples.text(50)).await();
    assertEquals("The file is shorter than announced", refused(harness.complete(shortSession)).getMessage());
    assertEquals(0, harness.verticle.openSessions());
  }

  @Test
  @DisplayName("an upload aborted after a part was stored leaves no multipart upload and no object behind")
  void abortAfterAPart() throws InterruptedException {
    Principal ann = UploadsHarness.user("Ann");
    Buffer zip = Samples.withPrefix("PK\u0003\u0004".getBytes(), 12 * 1024 * 1024, 9);
    String session = harness.begin(ann, "uploadMessageFile", "big.zip", zip.length()).await();
    harness.sendChunks(session, zip.slice(0, 9 * 1024 * 1024).copy(), 0).await();
    assertEquals(1, harness.verticle.storage().pendingMultiparts().await().size(), "one part stored");
    String key = harness.verticle.storage().pendingMultiparts().await().get(0).key();

    harness.abort(session);
    awaitNoPendingMultiparts();
    assertNull(harness.verticle.storage().head(key).await());
    assertNull(harness.record(key));
    assertEquals(0, harness.verticle.openSessions());
  }

  @Test
  @DisplayName("an idle session times out: its multipart upload is aborted and its address no longer answers")
  void idleTimeout() throws InterruptedException {
    Principal ann = UploadsHarness.user("Ann");
    Buffer zip = Samples.withPrefix("PK\u0003\u0004".getBytes(), 10 * 1024 * 1024, 10);
    String session = harness.begin(ann, "uploadMessageFile", "big.zip", zip.length()).await();
    harness.sendChunks(session, zip.slice(0, 8 * 1024 * 1024).copy(), 0).await();
    assertEquals(1, harness.verticle.storage().pendingMultiparts().await().size());

    Thread.sleep(3500);
    awaitNoPendingMultiparts();
    assertEquals(0, harness.verticle.openSessions());
    ApiException gone = refused(harness.chunk(session, zip.slice(0, 10).copy()));
    assertEquals(503, gone.status(), "no handler at the session address any more");
  }

  @Test
  @DisplayName("when setting the avatar fails, the upload fails and neither object nor record remains")
  void avatarUpdateFailureRollsBack() {
    Principal ghost = UploadsHarness.user("Ghost");
    harness.authFails = true;
    try {
      ApiException error = refused(harness.upload(ghost, "setMyAvatar", "me.png", Samples.png(1000)));
      assertEquals(404, error.status());
    } finally {
      harness.authFails = false;
    }
    JsonObject leftover = harness.mongo.findOne(FileStore.FILES, new JsonObject().put("owner_id", ghost.id()), null)
        .await();
    assertNull(leftover, "no record");
  }

  @Test
  @DisplayName("setMyAvatar with a file answers {message, avatar_url}; with JSON it takes only an http(s) URL")
  void setMyAvatar() {
    Principal bob = UploadsHarness.user("Bob");
    JsonObject uploaded = (JsonObject) harness.upload(bob, "setMyAvatar", "bob.webp",
        Samples.withPrefix("RIFF\0\0\0\0WEBPVP8 ".getBytes(), 3000, 11)).await().body();
    assertEquals("Avatar updated", uploaded.getString("message"));
    assertTrue(uploaded.getString("avatar_url").matches(".*/api/files/avatars/[0-9a-f-]{36}\\.webp"));

    JsonObject linked = (JsonObject) harness.send("setMyAvatar", bob,
        new JsonObject().put("avatar_url", "https://example.com/bob.jpg")).await().body();
    assertEquals(new JsonObject().put("message", "Avatar updated").put("avatar_url", "https://example.com/bob.jpg"),
        linked);
    assertTrue(harness.profileUpdates.contains(new JsonObject().put("avatar", "https://example.com/bob.jpg")
        .put("caller", bob.id())));
    for (String bad : new String[] {"javascript:alert(1)", "ftp://example.com/a.png", "https://", "not a url"}) {
      assertEquals(400, refused(harness.send("setMyAvatar", bob, new JsonObject().put("avatar_url", bad))).status(), bad);
    }
    assertEquals("No file provided", refused(harness.send("setMyAvatar", bob, null)).getMessage());
    assertEquals(401, refused(harness.send("setMyAvatar", null,
        new JsonObject().put("avatar_url", "https://example.com/x.png"))).status());
  }

  @Test
  @DisplayName("avatars are readable by anyone, even anonymously; unknown files are 404")
  void avatarAccess() {
    Principal ann = UploadsHarness.user("Ann");
    String key = ((JsonObject) harness.upload(ann, "uploadAvatar", "me.png", Samples.png(2000)).await().body())
        .getString("filename");
    assertEquals(302, harness.getFile(null, key).await().status());
    assertEquals(302, harness.getFile(UploadsHarness.user("Eve"), key).await().status());
    assertEquals(404, refused(harness.getFile(null, "avatars/123e4567-e89b-12d3-a456-426614174000.png")).status());
    assertEquals(404, refused(harness.getFile(ann, "avatars/not-a-stored-name.png")).status());
  }

  @Test
  @DisplayName("a message file: its uploader and those the messages service says can see it get a redirect; anyone else 404, anonymous 401")
  void messageFileAccess() {
    Principal ann = UploadsHarness.user("Ann");
    Principal bob = UploadsHarness.user("Bob");
    Principal eve = UploadsHarness.user("Eve");
    String key = ((JsonObject) harness.upload(ann, "uploadMessageFile", "plan.pdf",
        Samples.withPrefix("%PDF-1.7".getBytes(), 4000, 12)).await().body()).getString("filename");

    assertEquals(302, harness.getFile(ann, key).await().status(), "the uploader");
    ApiException hidden = refused(harness.getFile(eve, key));
    assertEquals(404, hidden.status(), "not shown to others");
    assertEquals(FileAccess.NOT_FOUND, hidden.getMessage());
    assertEquals(404, refused(harness.getFile(bob, key)).status());
    harness.visibleTo.add(key + "|" + bob.id());
    assertEquals(302, harness.getFile(bob, key).await().status(), "a reader of a message carrying it");
    assertEquals(401, refused(harness.getFile(null, key)).status());

    String fileName = key.substring(key.indexOf('/') + 1);
    assertEquals(404, refused(harness.getFile(ann, "avatars/" + fileName)).status(), "not reachable as an avatar");
    assertFalse(harness.getFile(ann, key).await().headers().getString("Location").contains(harness.publicUrl));
  }

  private static void awaitNoPendingMultiparts() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    while (!harness.verticle.storage().pendingMultiparts().await().isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("multipart upload still pending");
      }
      Thread.sleep(50);
    }
  }
}
