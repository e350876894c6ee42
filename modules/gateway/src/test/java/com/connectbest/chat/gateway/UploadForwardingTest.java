package com.connectbest.chat.gateway;

import static com.connectbest.chat.gateway.GatewayErrorsTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's upload path against a fake uploads service that speaks the session protocol and records what it
 * receives: the gateway authenticates before reading, stores the body on disk under its limit, streams it in
 * ordered chunks one at a time, relays the service's answer, and always removes the temporary file.
 */
@ExtendWith(VertxExtension.class)
class UploadForwardingTest {

  private static final String UPLOAD = "/api/upload/message-file";

  private Vertx vertx;
  private GatewayHarness gateway;
  private Path dataDir;
  private final List<JsonObject> begins = new CopyOnWriteArrayList<>();
  private final List<Integer> chunkSizes = new CopyOnWriteArrayList<>();
  private final List<String> sessionEvents = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private Buffer received;
  /** Chunk number (1-based) the fake service refuses with 400, or 0. */
  private volatile int refuseChunk;

  @BeforeEach
  void deploy(Vertx vertx) throws IOException {
    this.vertx = vertx;
    dataDir = Files.createTempDirectory("gateway-uploads");
    fakeUploads();
    gateway = new GatewayHarness(vertx, new JsonObject().put("DATA_DIR", dataDir.toString())
        .put("MAX_CONTENT_LENGTH", 8 * 1024 * 1024));
  }

  @AfterEach
  void removeDataDir() throws IOException {
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private void fakeUploads() {
    AtomicInteger sessions = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.UPLOADS, message -> {
      String action = message.headers().get(ServiceRequest.ACTION_HEADER);
      if (!InternalActions.BEGIN_UPLOAD.equals(action)) {
        GatewayHarness.echo(message);
        return;
      }
      ServiceRequest request = ServiceRequest.fromJson(action, message.body());
      begins.add(request.bodyObject().copy().put("caller", request.principal().id()));
      String address = "test.upload.session." + sessions.incrementAndGet();
      received = Buffer.buffer();
      vertx.eventBus().<Object>consumer(address, this::session).completion().onSuccess(v ->
          message.reply(ServiceReply.ok(new JsonObject().put("session", address).put("chunk_size", 256 * 1024))
              .toJson()));
    });
  }

  private void session(Message<Object> message) {
    String kind = message.headers().get(InternalActions.UPLOAD_HEADER);
    sessionEvents.add(kind);
    if (InternalActions.UPLOAD_CHUNK.equals(kind)) {
      Buffer chunk = (Buffer) message.body();
      chunkSizes.add(chunk.length());
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      if (chunkSizes.size() == refuseChunk) {
        inFlight.decrementAndGet();
        ApiException error = ApiException.badRequest("The file content does not match its .pdf extension");
        message.fail(error.status(), error.toJson().encode());
        return;
      }
      received.appendBuffer(chunk);
      // answer a little later, so that a sender that did not wait would be seen overlapping
      vertx.setTimer(5, t -> {
        inFlight.decrementAndGet();
        message.reply(new JsonObject().put("received", received.length()));
      });
    } else if (InternalActions.UPLOAD_COMPLETE.equals(kind)) {
      message.reply(ServiceReply.ok(new JsonObject().put("success", true).put("size", received.length())).toJson());
    }
  }

  private static Buffer bytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Buffer.buffer(data);
  }

  private HttpResponse<Buffer> upload(String path, String token, MultipartForm form) {
    var request = gateway.client.post(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendMultipartForm(form).await();
  }

  private List<Path> temporaryFiles() {
    Path dir = dataDir.resolve("uploads-tmp");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void assertNoTemporaryFiles() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 3000;
    while (!temporaryFiles().isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(List.of(), temporaryFiles(), "temporary files left behind");
  }

  @Test
  @DisplayName("a file reaches the uploads service as beginUpload, then ordered chunks of at most 256 KiB one at a time, then complete, whose reply is the HTTP answer")
  void streamsInChunks() throws InterruptedException {
    Buffer file = bytes(1_300_000);
    HttpResponse<Buffer> response = upload(UPLOAD, gateway.aliceToken(),
        MultipartForm.create().attribute("note", "hello").binaryFileUpload("file", "Report Q3.pdf", file, "text/html"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(new JsonObject().put("success", true).put("size", 1_300_000), response.bodyAsJsonObject());
    assertEquals(List.of(new JsonObject().put("operation", "uploadMessageFile").put("original_name", "Report Q3.pdf")
        .put("size", 1_300_000).put("caller", GatewayHarness.ALICE)), begins);
    assertEquals(file, received, "same bytes, in order");
    assertTrue(chunkSizes.stream().allMatch(size -> size <= 256 * 1024), chunkSizes.toString());
    assertEquals(5, chunkSizes.size());
    assertEquals(1, maxInFlight.get(), "one chunk in flight at a time");
    assertEquals(InternalActions.UPLOAD_COMPLETE, sessionEvents.get(sessionEvents.size() - 1));
    assertNoTemporaryFiles();
  }

  @Test
  @DisplayName("of several files, the part named 'file' is the one uploaded")
  void picksTheFilePart() {
    HttpResponse<Buffer> response = upload(UPLOAD, gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("other", "decoy.pdf", bytes(10), "application/pdf")
        .binaryFileUpload("file", "real.pdf", bytes(20), "application/pdf"));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("real.pdf", begins.get(0).getString("original_name"));
    assertEquals(20, begins.get(0).getInteger("size"));
  }

  @Test
  @DisplayName("a multipart body without a 'file' part answers 400 'No file provided' and reaches no service")
  void noFile() throws InterruptedException {
    JsonObject body = assertError(upload(UPLOAD, gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("attachment", "a.pdf", bytes(10), "application/pdf")), 400, "BAD_REQUEST");
    assertEquals("No file provided", body.getString("message"));
    assertError(upload("/api/upload/avatar", gateway.aliceToken(), MultipartForm.create().attribute("file", "x")),
        400, "BAD_REQUEST");
    assertTrue(begins.isEmpty());
    assertNoTemporaryFiles();
  }

  @Test
  @DisplayName("an anonymous or badly signed upload is refused 401 before its body is read: nothing is written to disk")
  void authenticatesBeforeReading() {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", "a.pdf", bytes(2_000_000), "application/pdf");
    assertError(upload(UPLOAD, null, form), 401, "UNAUTHORIZED");
    assertError(upload(UPLOAD, "not-a-token", form), 401, "UNAUTHORIZED");
    assertError(upload("/api/users/me/avatar", null, form), 401, "UNAUTHORIZED");
    assertFalse(Files.exists(dataDir.resolve("uploads-tmp")), "the body handler never ran");
    assertTrue(begins.isEmpty());
    assertEquals(200, gateway.client.get("/api/auth/status").send().await().statusCode(), "still serving");
  }

  @Test
  @DisplayName("a body over the limit answers 413 while it is received (avatars at 5 MB, others at MAX_CONTENT_LENGTH), reaches no service, and leaves no file")
  void tooLarge() throws InterruptedException {
    JsonObject avatar = assertError(upload("/api/upload/avatar", gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("file", "me.png", bytes(5 * 1024 * 1024 + 100_000), "image/png")), 413, "PAYLOAD_TOO_LARGE");
    assertEquals("The request body is larger than allowed", avatar.getString("message"));
    assertError(upload("/api/users/me/avatar", gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("file", "me.png", bytes(6 * 1024 * 1024), "image/png")), 413, "PAYLOAD_TOO_LARGE");
    assertError(upload(UPLOAD, gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("file", "big.zip", bytes(9 * 1024 * 1024), "application/zip")), 413, "PAYLOAD_TOO_LARGE");
    assertTrue(begins.isEmpty());
    assertNoTemporaryFiles();

    HttpResponse<Buffer> fits = upload("/api/upload/avatar", gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("file", "me.png", bytes(5 * 1024 * 1024), "image/png"));
    assertEquals(200, fits.statusCode(), "5 MB exactly fits: " + fits.bodyAsString());
  }

  @Test
  @DisplayName("a chunk refused by the service ends the transfer with the service's error; the session is aborted and the file removed")
  void refusedChunk() throws InterruptedException {
    refuseChunk = 2;
    JsonObject body = assertError(upload(UPLOAD, gateway.aliceToken(), MultipartForm.create()
        .binaryFileUpload("file", "a.pdf", bytes(1_000_000), "application/pdf")), 400, "BAD_REQUEST");
    assertEquals("The file content does not match its .pdf extension", body.getString("message"));
    assertEquals(2, chunkSizes.size(), "stopped at the refused chunk");
    assertFalse(sessionEvents.contains(InternalActions.UPLOAD_COMPLETE));
    long deadline = System.currentTimeMillis() + 2000;
    while (!sessionEvents.contains(InternalActions.UPLOAD_ABORT) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(sessionEvents.contains(InternalActions.UPLOAD_ABORT));
    assertNoTemporaryFiles();
  }

  @Test
  @DisplayName("setMyAvatar with JSON is forwarded as an ordinary operation")
  void jsonAvatar() {
    HttpResponse<Buffer> response = gateway.client.post("/api/users/me/avatar")
        .bearerTokenAuthentication(gateway.aliceToken())
        .sendJsonObject(new JsonObject().put("avatar_url", "https://example.com/a.png")).await();
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject seen = response.bodyAsJsonObject();
    assertEquals("setMyAvatar", seen.getString("action"));
    assertEquals("https://example.com/a.png", seen.getJsonObject("body").getString("avatar_url"));
    assertTrue(begins.isEmpty());
  }

  @Test
  @DisplayName("getFile is open to anonymous callers (the service decides), and forwards the caller when there is one")
  void getFileOptionalAuth() {
    String path = "/api/files/avatars/123e4567-e89b-12d3-a456-426614174000.png";
    HttpResponse<Buffer> anonymous = gateway.client.get(path).send().await();
    assertEquals(200, anonymous.statusCode(), anonymous.bodyAsString());
    assertEquals(null, anonymous.bodyAsJsonObject().getValue("principal"));
    HttpResponse<Buffer> signedIn = gateway.client.get(path).bearerTokenAuthentication(gateway.aliceToken()).send()
        .await();
    assertEquals(GatewayHarness.ALICE, signedIn.bodyAsJsonObject().getJsonObject("principal").getString("id"));
  }

  @Test
  @DisplayName("a client that hangs up mid-transfer gets its session aborted and its temporary file removed")
  void clientGoesAway() throws InterruptedException {
    Buffer file = bytes(3_000_000);
    String boundary = "----connectbest-test";
    Buffer body = Buffer.buffer("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n"
        + "Content-Type: application/zip\r\n\r\n").appendBuffer(file).appendString("\r\n--" + boundary + "--\r\n");
    Buffer request = Buffer.buffer("POST " + UPLOAD + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + gateway.aliceToken() + "\r\n"
        + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n").appendBuffer(body);
    var socket = vertx.createNetClient().connect(gateway.port, "127.0.0.1").await();
    socket.write(request).await();
    long deadline = System.currentTimeMillis() + 5000;
    while (chunkSizes.size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(2);
    }
    socket.close().await();
    deadline = System.currentTimeMillis() + 5000;
    while (!sessionEvents.contains(InternalActions.UPLOAD_ABORT) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(sessionEvents.contains(InternalActions.UPLOAD_ABORT), sessionEvents.toString());
    assertFalse(sessionEvents.contains(InternalActions.UPLOAD_COMPLETE));
    assertTrue(chunkSizes.size() < 12, "stopped sending: " + chunkSizes.size());
    assertNoTemporaryFiles();
  }

  @Test
  @DisplayName("temporary files left by a dead process (older than a day) are swept when the gateway starts; fresh ones stay")
  void sweepsStaleFiles(Vertx vertx) throws IOException, InterruptedException {
    Path other = Files.createTempDirectory("gateway-sweep");
    Path tmp = Files.createDirectories(other.resolve("uploads-tmp"));
    Path stale = Files.write(tmp.resolve("stale"), new byte[] {1});
    Path fresh = Files.write(tmp.resolve("fresh"), new byte[] {2});
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - 2 * 24 * 3600 * 1000L));
    new GatewayHarness(vertx, new JsonObject().put("DATA_DIR", other.toString()));
    long deadline = System.currentTimeMillis() + 3000;
    while (Files.exists(stale) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(fresh));
    Files.delete(fresh);
    Files.delete(tmp);
    Files.delete(other);
  }
}
