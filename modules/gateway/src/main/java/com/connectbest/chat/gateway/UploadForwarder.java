package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of uploads. The gateway never talks to storage or the database: a multipart upload is first
 * received to a temporary file (streamed to disk by a {@link BodyHandler} whose limit answers 413 as soon as the
 * body grows past it; the caller is authenticated before a byte is read), then handed to the uploads service over
 * the event bus: {@code beginUpload} opens a session, the file is read back in chunks sent one at a time (the next
 * only after the previous is answered: backpressure from storage to disk), and {@code complete} answers with the
 * operation's reply. The temporary file is removed in every case. See docs/event-bus.md.
 */
final class UploadForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(UploadForwarder.class);

  /** The multipart field that carries the file. */
  static final String FILE_FIELD = "file";
  /** Operation extension: the largest file the operation takes, in bytes. */
  static final String MAX_FILE_EXTENSION = "x-max-file-bytes";
  /** Room for the multipart envelope (boundaries, part headers) on top of the file. */
  static final long MULTIPART_OVERHEAD = 64 * 1024;
  static final int DEFAULT_CHUNK = 256 * 1024;
  static final long DEFAULT_TIMEOUT_MS = 180_000;
  static final long STALE_AFTER_MS = 24 * 60 * 60 * 1000L;
  private static final int MIN_CHUNK = 16 * 1024;
  private static final int MAX_CHUNK = 1024 * 1024;

  private final Vertx vertx;
  private final ServiceClient services;
  private final long timeoutMs;
  private final String directory;
  private final long maxContentLength;
  private final Map<String, BodyHandler> bodyHandlers = new HashMap<>();

  UploadForwarder(Vertx vertx, Settings settings, ServiceClient services) {
    this.vertx = vertx;
    this.services = services;
    // a chunk that completes a storage part, and complete, wait for storage: longer than an ordinary request
    this.timeoutMs = Math.max(settings.number("SERVICE_TIMEOUT_MS", ServiceClient.DEFAULT_TIMEOUT_MS),
        settings.number("UPLOAD_TIMEOUT_MS", DEFAULT_TIMEOUT_MS));
    this.directory = settings.string("DATA_DIR", "./data") + "/uploads-tmp";
    this.maxContentLength = settings.number("MAX_CONTENT_LENGTH", 52_428_800);
  }

  /**
   * Deletes temporary files older than {@link #STALE_AFTER_MS}: left behind only when a process died mid-upload
   * (every upload removes its own file). Several gateway instances may sweep at once; that is harmless.
   */
  Future<Void> sweepStaleFiles() {
    long cutoff = System.currentTimeMillis() - STALE_AFTER_MS;
    return vertx.fileSystem().exists(directory).compose(exists -> !exists ? Future.<Void>succeededFuture()
        : vertx.fileSystem().readDir(directory).compose(files -> Future.join(files.stream()
            .map(file -> vertx.fileSystem().props(file)
                .compose(props -> props.isRegularFile() && props.lastModifiedTime() < cutoff
                    ? vertx.fileSystem().delete(file) : Future.<Void>succeededFuture())
                .recover(gone -> Future.succeededFuture()))
            .toList()).<Void>mapEmpty()))
        .onFailure(error -> LOG.warn("Could not sweep {}: {}", directory, error.toString()));
  }

  /** The body limit of an upload operation: MAX_CONTENT_LENGTH, lowered by its {@value #MAX_FILE_EXTENSION}. */
  long bodyLimit(Operation operation) {
    Object max = operation.getExtensions().get(MAX_FILE_EXTENSION);
    return max instanceof Number number ? Math.min(maxContentLength, number.longValue() + MULTIPART_OVERHEAD)
        : maxContentLength;
  }

  /** Receives the multipart body of an upload operation to disk, with that operation's limit. */
  void receive(RoutingContext rc, Operation operation) {
    bodyHandlers.computeIfAbsent(operation.getOperationId(), id -> BodyHandler.create(directory)
            .setBodyLimit(bodyLimit(operation))
            .setDeleteUploadedFilesOnEnd(true))
        .handle(rc);
  }

  static boolean isMultipart(RoutingContext rc) {
    String type = rc.request().getHeader("Content-Type");
    return type != null && type.toLowerCase().startsWith("multipart/");
  }

  /** The route handler of an upload operation; requests that are not multipart (JSON) go to {@code plain}. */
  Handler<RoutingContext> forward(Operation operation, Handler<RoutingContext> plain) {
    return rc -> {
      if (!isMultipart(rc)) {
        plain.handle(rc);
        return;
      }
      FileUpload file = rc.fileUploads().stream()
          .filter(upload -> FILE_FIELD.equals(upload.name()) && upload.fileName() != null && !upload.fileName().isEmpty())
          .findFirst().orElse(null);
      if (file == null) {
        rc.cancelAndCleanupFileUploads();
        rc.fail(ApiException.badRequest("No file provided"));
        return;
      }
      new Transfer(rc, operation.getOperationId(), file).run();
    };
  }

  /** One file from disk to the uploads service. */
  private final class Transfer {

    private final RoutingContext rc;
    private final String operation;
    private final FileUpload upload;
    private String session;
    private int chunkSize = DEFAULT_CHUNK;
    private AsyncFile file;
    private boolean clientGone;

    Transfer(RoutingContext rc, String operation, FileUpload upload) {
      this.rc = rc;
      this.operation = operation;
      this.upload = upload;
    }

    void run() {
      rc.response().closeHandler(closed -> clientGone = true);
      ServiceRequest begin = new ServiceRequest(InternalActions.BEGIN_UPLOAD, OperationForwarder.principalOf(rc),
          new JsonObject(), new JsonObject(), new JsonObject()
              .put("operation", operation)
              .put("original_name", upload.fileName())
              .put("size", upload.size()),
          rc.get(AccessLog.REQUEST_ID));
      services.send(Addresses.UPLOADS, begin)
          .compose(reply -> {
            JsonObject body = reply.body() instanceof JsonObject json ? json : new JsonObject();
            session = body.getString("session");
            if (session == null) {
              return Future.failedFuture(new IllegalStateException("beginUpload answered no session"));
            }
            chunkSize = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, body.getInteger("chunk_size", DEFAULT_CHUNK)));
            return vertx.fileSystem().open(upload.uploadedFileName(), new OpenOptions().setRead(true).setWrite(false)
                .setCreate(false));
          })
          .compose(opened -> {
            file = opened;
            return sendFrom(0);
          })
          .compose(v -> vertx.eventBus().<JsonObject>request(session, null, options(InternalActions.UPLOAD_COMPLETE)))
          .map(Message::body)
          .map(ServiceReply::fromJson)
          .onComplete(done -> {
            if (file != null) {
              file.close();
            }
            rc.cancelAndCleanupFileUploads();
            if (done.succeeded()) {
              OperationForwarder.write(rc, done.result());
              return;
            }
            if (session != null) {
              vertx.eventBus().send(session, null, new DeliveryOptions()
                  .addHeader(InternalActions.UPLOAD_HEADER, InternalActions.UPLOAD_ABORT));
            }
            fail(done.cause());
          });
    }

    /** Sends the chunk at {@code position}, and the rest once it is answered. */
    private Future<Void> sendFrom(long position) {
      if (clientGone) {
        return Future.failedFuture(new ClientGone());
      }
      long size = upload.size();
      if (position >= size) {
        return Future.succeededFuture();
      }
      int length = (int) Math.min(chunkSize, size - position);
      return file.read(Buffer.buffer(length), 0, position, length)
          .compose(chunk -> {
            if (chunk.length() != length) {
              return Future.failedFuture(new IllegalStateException("the temporary file is shorter than announced"));
            }
            return vertx.eventBus().request(session, chunk, options(InternalActions.UPLOAD_CHUNK));
          })
          .compose(answered -> sendFrom(position + length));
    }

    private DeliveryOptions options(String kind) {
      return new DeliveryOptions().addHeader(InternalActions.UPLOAD_HEADER, kind).setSendTimeout(timeoutMs);
    }

    private void fail(Throwable cause) {
      if (cause instanceof ClientGone) {
        return;
      }
      ApiException error = ServiceClient.toApiException(cause);
      if (error.status() == 500 && !(cause instanceof io.vertx.core.eventbus.ReplyException)) {
        LOG.error("Forwarding the upload of {} failed", operation, cause);
      }
      rc.fail(error);
    }
  }

  /** The client closed the connection; nobody is left to answer. */
  private static final class ClientGone extends RuntimeException {
    ClientGone() {
      super("the client went away", null, false, false);
    }
  }
}
