package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.FileLinks;
import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.PublicUrl;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Files in object storage: avatars and message attachments, streamed in from the gateway over the event bus,
 * checked by content, stored through the S3 API (a configured bucket, or an embedded S3-compatible server), recorded
 * in {@code message_files}, and served as redirects to short-lived presigned URLs.
 */
public class UploadsVerticle extends ServiceVerticle {

  /** Bytes per event-bus chunk the gateway sends. */
  static final int CHUNK_SIZE = 256 * 1024;
  /** Bytes per S3 multipart part (S3 needs at least 5 MiB for all but the last). */
  static final int PART_SIZE = 8 * 1024 * 1024;

  private EmbeddedS3 embedded;
  private ObjectStorage storage;
  private UploadService uploads;

  @Override
  protected String address() {
    return Addresses.UPLOADS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    StorageSettings storageSettings = StorageSettings.from(settings);
    FileStore files = new FileStore(mongo());
    return embeddedServer(storageSettings).compose(endpoint -> {
      storage = new ObjectStorage(vertx, storageSettings, endpoint);
      FileLinks links = FileLinks.from(settings, PublicUrl.of(vertx, settings));
      uploads = new UploadService(vertx, storage, files, services, links,
          new UploadService.Limits(CHUNK_SIZE, PART_SIZE, settings.number("UPLOAD_SESSION_TIMEOUT_MS", 30_000),
              settings.integer("MAX_UPLOAD_SESSIONS", 32)));
      FileAccess access = new FileAccess(files, storage, services, links,
          Duration.ofSeconds(settings.number("FILE_LINK_TTL_SECONDS", 300)));
      UploadsApi.register(dispatcher, uploads, access, files);
      return (endpoint != null ? storage.ensureBucket() : Future.<Void>succeededFuture())
          .compose(v -> files.createIndexes());
    }).onFailure(error -> release());
  }

  /**
   * The embedded S3 server to use, or null when S3 is configured. Started here when this node is alone or owns the
   * cluster's embedded store (it runs the embedded MongoDB), and then announced to the cluster; found through the
   * cluster otherwise ({@link SharedEmbeddedS3}).
   */
  private Future<EmbeddedS3.Endpoint> embeddedServer(StorageSettings storageSettings) {
    if (!storageSettings.embedded()) {
      return Future.succeededFuture();
    }
    boolean owner = settings.bool(MongoClients.EMBEDDED_MARKER, false);
    if (vertx.isClustered() && !owner) {
      return SharedEmbeddedS3.find(vertx, storageSettings.embeddedWaitSeconds() * 1000);
    }
    return vertx.executeBlocking(() -> EmbeddedS3.start(storageSettings.embeddedDirectory(),
            storageSettings.embeddedPort(), storageSettings.region(), storageSettings.embeddedIdentity()))
        .compose(started -> {
          embedded = started;
          return vertx.isClustered()
              ? SharedEmbeddedS3.announce(vertx, started.endpoint()).map(started.endpoint())
              : Future.succeededFuture(started.endpoint());
        });
  }

  /** Ready while both the store and the bucket answer. */
  @Override
  protected Future<?> ready() {
    ObjectStorage current = storage;
    return super.ready().compose(v -> current == null
        ? Future.failedFuture(new IllegalStateException("storage is closed")) : current.reachable());
  }

  @Override
  public Future<?> stop() {
    return super.stop().eventually(this::release);
  }

  /** Closes the S3 client and stops the embedded server, off the event loop. */
  private Future<?> release() {
    ObjectStorage closingStorage = storage;
    EmbeddedS3 closingServer = embedded;
    storage = null;
    embedded = null;
    return vertx.executeBlocking(() -> {
      if (closingStorage != null) {
        closingStorage.close();
      }
      if (closingServer != null) {
        closingServer.close();
      }
      return null;
    }, false); // unordered: nothing else of this verticle's must follow it on the worker queue while Vert.x closes
  }

  /** For tests: the storage this verticle writes to. */
  ObjectStorage storage() {
    return storage;
  }

  /** For tests: upload sessions currently open. */
  int openSessions() {
    return uploads.openSessions();
  }
}
