package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.types.ObjectId;

/**
 * The uploads verticle for real: the embedded S3 server (s3proxy on a random port, files under a temporary
 * DATA_DIR), an in-memory MongoDB, and fake auth and messages services on the bus that record what they are asked.
 * Files are sent exactly as the gateway sends them: beginUpload, then chunks one at a time, then complete.
 */
final class UploadsHarness implements AutoCloseable {

  static final int CHUNK = 256 * 1024;

  final Vertx vertx;
  final MongoServer mongoServer;
  final MongoClient mongo;
  final UploadsVerticle verticle;
  final ServiceClient client;
  final Path dataDir;
  final String publicUrl = "http://files.example.test";
  /** Bodies of the updateMyProfile calls the fake auth service received, with the caller's id. */
  final List<JsonObject> profileUpdates = new CopyOnWriteArrayList<>();
  /** "key|user" pairs the fake messages service answers visible. */
  final Set<String> visibleTo = ConcurrentHashMap.newKeySet();
  volatile boolean authFails;

  UploadsHarness(JsonObject overrides) {
    try {
      dataDir = Files.createTempDirectory("uploads-test");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    vertx = Vertx.vertx();
    mongoServer = new MongoServer(new MemoryBackend());
    mongoServer.bind("127.0.0.1", 0);
    String uri = "mongodb://127.0.0.1:" + mongoServer.getLocalAddress().getPort();
    String db = "uploads_" + UUID.randomUUID().toString().replace("-", "");
    fakeAuth();
    fakeMessages();
    JsonObject config = new JsonObject()
        .put("MONGODB_URI", uri).put("MONGODB_DB_NAME", db)
        .put("DATA_DIR", dataDir.toString())
        .put("PUBLIC_URL", publicUrl)
        .put("SERVICE_TIMEOUT_MS", 10_000)
        .mergeIn(overrides);
    verticle = new UploadsVerticle();
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri).put("db_name", db)
        .put("useObjectId", true));
    client = new ServiceClient(vertx.eventBus(), 15_000)
        // as a gateway: the service acts only on principals signed with this process's key
        .signingWith(EnvelopeKeys.ephemeral().signing(), EnvelopeKeys.DEFAULT_TTL_SECONDS);
  }

  static Principal user(String name) {
    return new Principal(new ObjectId().toHexString(), name.toLowerCase() + "@example.com", name, "user");
  }

  private void fakeAuth() {
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH, message -> {
      String action = message.headers().get(ServiceRequest.ACTION_HEADER);
      ServiceRequest request = ServiceRequest.fromJson(action, message.body());
      if (!"updateMyProfile".equals(action) || request.principal() == null) {
        message.fail(501, ApiException.notImplemented(action).toJson().encode());
        return;
      }
      if (authFails) {
        ApiException error = ApiException.notFound("User not found");
        message.fail(error.status(), error.toJson().encode());
        return;
      }
      profileUpdates.add(request.bodyObject().copy().put("caller", request.principal().id()));
      message.reply(ServiceReply.ok(new JsonObject().put("message", "Profile updated successfully")).toJson());
    }).completion().await();
  }

  private void fakeMessages() {
    vertx.eventBus().<JsonObject>consumer(Addresses.MESSAGES, message -> {
      JsonObject body = message.body().getJsonObject("body");
      boolean visible = visibleTo.contains(body.getString("key") + "|" + body.getString("user_id"));
      message.reply(ServiceReply.ok(new JsonObject().put("visible", visible)).toJson());
    }).completion().await();
  }

  // ---- the streaming protocol, as the gateway drives it ----

  Future<ServiceReply> upload(Principal caller, String operation, String name, Buffer bytes) {
    return begin(caller, operation, name, bytes.length())
        .compose(session -> sendChunks(session, bytes, 0).compose(v -> complete(session)));
  }

  /** beginUpload; resolves to the session address. */
  Future<String> begin(Principal caller, String operation, String name, long size) {
    return client.send(Addresses.UPLOADS, new ServiceRequest(InternalActions.BEGIN_UPLOAD, caller, new JsonObject(),
            new JsonObject(), new JsonObject().put("operation", operation).put("original_name", name).put("size", size),
            "test-" + UUID.randomUUID()))
        .map(reply -> ((JsonObject) reply.body()).getString("session"));
  }

  Future<Void> sendChunks(String session, Buffer bytes, int from) {
    if (from >= bytes.length()) {
      return Future.succeededFuture();
    }
    int end = Math.min(bytes.length(), from + CHUNK);
    return chunk(session, bytes.slice(from, end).copy()).compose(v -> sendChunks(session, bytes, end));
  }

  Future<Void> chunk(String session, Buffer chunk) {
    return vertx.eventBus().request(session, chunk, options(InternalActions.UPLOAD_CHUNK))
        .recover(error -> Future.failedFuture(ServiceClient.toApiException(error)))
        .mapEmpty();
  }

  Future<ServiceReply> complete(String session) {
    return vertx.eventBus().<JsonObject>request(session, null, options(InternalActions.UPLOAD_COMPLETE))
        .map(Message::body)
        .map(ServiceReply::fromJson)
        .recover(error -> Future.failedFuture(ServiceClient.toApiException(error)));
  }

  void abort(String session) {
    vertx.eventBus().send(session, null, new DeliveryOptions().addHeader(InternalActions.UPLOAD_HEADER,
        InternalActions.UPLOAD_ABORT));
  }

  private static DeliveryOptions options(String kind) {
    return new DeliveryOptions().addHeader(InternalActions.UPLOAD_HEADER, kind).setSendTimeout(15_000);
  }

  // ---- other requests ----

  Future<ServiceReply> getFile(Principal caller, String key) {
    String[] parts = key.split("/", 2);
    return client.send(Addresses.UPLOADS, new ServiceRequest("getFile", caller,
        new JsonObject().put("folder", parts[0]).put("fileName", parts[1]), new JsonObject(), null, null));
  }

  Future<ServiceReply> send(String action, Principal caller, Object body) {
    return client.send(Addresses.UPLOADS, new ServiceRequest(action, caller, new JsonObject(), new JsonObject(), body,
        null));
  }

  JsonObject record(String key) {
    return mongo.findOne(FileStore.FILES, new JsonObject().put("key", key), null).await();
  }

  @Override
  public void close() {
    vertx.close().await();
    mongoServer.shutdownNow();
    deleteRecursively(dataDir);
  }

  static void deleteRecursively(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException ignored) {
      // best effort: it is a temporary directory
    }
  }
}
