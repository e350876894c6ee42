package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.FileLinks;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /api/files/{folder}/{fileName}}: who may read a stored file, answered with a redirect to a short-lived
 * presigned URL. Avatars are readable by anyone (they appear in {@code <img src>}); a message file by its uploader
 * and by whoever can read a non-deleted message of the uploader's carrying it (the messages service decides). Everyone else gets the
 * same 404 as for a file that does not exist; an anonymous caller asking for a message file gets 401.
 *
 * <p>A signed link ({@link FileLinks}) stands in for the Authorization header a browser's {@code <img src>} cannot
 * send: it names its viewer, and the viewer's access is checked as for a signed-in caller. A caller who is signed in
 * is judged as themselves, whatever link they follow.
 */
final class FileAccess {

  static final String NOT_FOUND = "File not found";
  static final String LINK_INVALID = "This file link is invalid or has expired; reload the page for a new one";

  private final FileStore files;
  private final ObjectStorage storage;
  private final ServiceClient services;
  private final FileLinks links;
  private final Duration linkTtl;

  FileAccess(FileStore files, ObjectStorage storage, ServiceClient services, FileLinks links, Duration linkTtl) {
    this.files = files;
    this.storage = storage;
    this.services = services;
    this.links = links;
    this.linkTtl = linkTtl;
  }

  Future<ServiceReply> get(Principal signedIn, String folder, String fileName, JsonObject query) {
    FileKind kind = FileKind.ofFolder(folder);
    if (kind == null || fileName == null || !FileNames.STORED_NAME.matcher(fileName).matches()) {
      throw ApiException.notFound(NOT_FOUND);
    }
    String key = kind.folder() + "/" + fileName;
    Principal caller = signedIn;
    if (kind == FileKind.MESSAGE && caller == null) {
      caller = viewerOfLink(key, query == null ? new JsonObject() : query);
    }
    Principal viewer = caller;
    return files.findByKey(key).compose(file -> {
      if (file == null || !kind.id().equals(file.getString("kind"))) {
        return Future.failedFuture(ApiException.notFound(NOT_FOUND));
      }
      return visible(kind, key, file, viewer).compose(visible -> visible
          ? redirect(key, file)
          : Future.failedFuture(ApiException.notFound(NOT_FOUND)));
    });
  }

  /** The viewer a valid, unexpired signed link names; 401 without a link or with a wrong or expired one. */
  private Principal viewerOfLink(String key, JsonObject query) {
    Object viewer = query.getValue(FileLinks.VIEWER);
    if (viewer == null && query.getValue(FileLinks.SIGNATURE) == null) {
      throw ApiException.unauthorized("Authentication required");
    }
    if (!(viewer instanceof String viewerId) || !Ids.isObjectId(viewerId)
        || !links.verify(key, viewerId, text(query.getValue(FileLinks.EXPIRES)), text(query.getValue(FileLinks.SIGNATURE)),
            Instant.now())) {
      throw ApiException.unauthorized(LINK_INVALID);
    }
    return new Principal(viewerId.toLowerCase(java.util.Locale.ROOT), null, null, "user");
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private Future<Boolean> visible(FileKind kind, String key, JsonObject file, Principal caller) {
    if (kind == FileKind.AVATAR || caller.id().equals(file.getString("owner_id"))) {
      return Future.succeededFuture(true);
    }
    return services.call(Addresses.MESSAGES, InternalActions.FILE_VISIBILITY,
            new JsonObject().put("key", key).put("user_id", caller.id()).put("owner_id", file.getString("owner_id")))
        .map(answer -> answer.getBoolean("visible", false));
  }

  private Future<ServiceReply> redirect(String key, JsonObject file) {
    String extension = FileNames.extension(key);
    String disposition = FileNames.contentDisposition(ContentCheck.inline(extension), file.getString("original_name"));
    return storage.presignGet(key, file.getString("content_type", ContentCheck.contentType(extension)), disposition,
            linkTtl)
        .map(url -> new ServiceReply(302, null, new JsonObject().put("Location", url)));
  }
}
