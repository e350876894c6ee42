package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.HttpUrls;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.FileLinks;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Uploads from the first announcement to the answer: {@code beginUpload} checks who, what and how big and opens an
 * {@link UploadSession}; once the bytes are stored, {@link #finish} records the file in {@code message_files},
 * points the caller's avatar at it when the operation says so (through the auth service's {@code updateMyProfile})
 * and builds the operation's response. Also {@code setMyAvatar} with a JSON {@code avatar_url}.
 */
final class UploadService {

  static final String SESSION_PREFIX = Addresses.UPLOADS + ".session.";

  /** Tuning of the streaming protocol. */
  record Limits(int chunkSize, int partSize, long idleTimeoutMs, int maxSessions) {
  }

  private final Vertx vertx;
  private final ObjectStorage storage;
  private final FileStore files;
  private final ServiceClient services;
  private final FileLinks links;
  private final Limits limits;
  private final Map<String, UploadSession> sessions = new HashMap<>();

  UploadService(Vertx vertx, ObjectStorage storage, FileStore files, ServiceClient services, FileLinks links,
                Limits limits) {
    this.vertx = vertx;
    this.storage = storage;
    this.files = files;
    this.services = services;
    this.links = links;
    this.limits = limits;
  }

  /** {@code beginUpload} {operation, original_name, size} → {session, chunk_size}. */
  Future<JsonObject> begin(Principal caller, JsonObject body, String requestId) {
    String operation = body.getString("operation");
    FileKind kind = FileKind.ofOperation(operation);
    if (kind == null) {
      throw ApiException.badRequest("Unknown upload operation '" + operation + "'");
    }
    String originalName = FileNames.sanitise(body.getValue("original_name") instanceof String s ? s : null);
    if (originalName == null) {
      throw ApiException.badRequest("No file provided");
    }
    String extension = FileNames.extension(originalName);
    if (!kind.allows(extension)) {
      throw ApiException.validation("File type not allowed. Allowed: " + String.join(", ", kind.extensions()),
          new JsonObject().put("field", "file").put("allowed", new JsonArray(kind.extensions())));
    }
    if (!(body.getValue("size") instanceof Number number) || number.longValue() < 0) {
      throw ApiException.badRequest("size must be the file's length in bytes");
    }
    long size = number.longValue();
    if (size > kind.maxBytes()) {
      throw tooLarge(kind);
    }
    if (size == 0) {
      throw ApiException.badRequest("The file is empty");
    }
    if (sessions.size() >= limits.maxSessions()) {
      throw ApiException.unavailable("Too many uploads in progress; retry shortly");
    }
    StoredFile file = new StoredFile(operation, kind, FileNames.newKey(kind, extension), extension,
        ContentCheck.contentType(extension), originalName, size, caller, requestId);
    UploadSession session = new UploadSession(vertx, storage, this::finish, closed -> sessions.remove(closed.address()),
        file, SESSION_PREFIX + UUID.randomUUID(), limits.partSize(), limits.idleTimeoutMs());
    sessions.put(session.address(), session);
    return session.open().map(v -> new JsonObject()
        .put("session", session.address())
        .put("chunk_size", limits.chunkSize()));
  }

  /**
   * Records a stored file, sets the avatar when the operation does, and answers the operation. An avatar's URL is
   * public (avatars appear in anyone's {@code <img src>}); a message file's is signed for its uploader, who may see it.
   */
  Future<ServiceReply> finish(StoredFile file) {
    String url = file.kind() == FileKind.AVATAR ? links.plainUrl(file.key())
        : links.signedUrl(file.key(), file.owner().id(), Instant.now());
    return files.insert(file.key(), file.kind(), file.owner().id(), file.originalName(), file.contentType(), file.size(),
            Instant.now())
        .compose(v -> file.kind() == FileKind.AVATAR
            ? setAvatar(file.owner(), url, file.requestId())
                .recover(error -> files.deleteByKey(file.key()).transform(deleted -> Future.failedFuture(error)))
            : Future.succeededFuture())
        .map(v -> ServiceReply.ok(switch (file.operation()) {
          case UploadsApi.SET_MY_AVATAR -> new JsonObject().put("message", "Avatar updated").put("avatar_url", url);
          case UploadsApi.UPLOAD_AVATAR -> new JsonObject().put("success", true).put("avatar_url", url)
              .put("filename", file.key());
          default -> new JsonObject().put("success", true).put("file_url", url).put("filename", file.key())
              .put("original_name", file.originalName()).put("size", file.size()).put("type", file.contentType());
        }));
  }

  /** {@code setMyAvatar} with JSON {avatar_url}: any http(s) URL. */
  Future<JsonObject> setAvatarUrl(Principal caller, JsonObject body, String requestId) {
    Object value = body.getValue("avatar_url");
    if (value == null) {
      throw ApiException.badRequest("No file provided");
    }
    // the contract's rule for http(s) URLs (OptionalHttpUrl), as for every other URL a browser will load
    String url = HttpUrls.optional(value, "avatar_url");
    return setAvatar(caller, url, requestId)
        .map(v -> new JsonObject().put("message", "Avatar updated").put("avatar_url", url));
  }

  /** The auth service owns profiles: the avatar is changed through its own operation, as the caller. */
  private Future<Void> setAvatar(Principal caller, String url, String requestId) {
    return services.send(Addresses.AUTH, new ServiceRequest("updateMyProfile", caller, new JsonObject(),
        new JsonObject(), new JsonObject().put("avatar", url), requestId)).mapEmpty();
  }

  int openSessions() {
    return sessions.size();
  }

  static ApiException tooLarge(FileKind kind) {
    return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "File too large (max " + kind.limitText() + ")");
  }
}
