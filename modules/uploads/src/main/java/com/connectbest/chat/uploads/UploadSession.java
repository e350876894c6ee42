package com.connectbest.chat.uploads;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One file on its way in: consumes its own event-bus address, receives the bytes in order, checks the start of
 * the content before anything is stored, and writes to the bucket as it goes: bytes gather into a part buffer;
 * when it is full ({@code partSize}, at least 5 MiB) a multipart upload starts (or continues) with that part, and
 * the chunk that filled it is answered only once the part is stored (backpressure on the sender). A file that
 * never fills a part is written with one PutObject on {@code complete}.
 *
 * <p>Any failure (content check, size, storage, idle timeout, an {@code abort} from the sender) ends the session:
 * the multipart upload is aborted or the written object deleted, and the address is released. Confined to the
 * owning verticle's event loop.
 */
final class UploadSession {

  private static final Logger LOG = LoggerFactory.getLogger(UploadSession.class);

  private enum State { RECEIVING, BUSY, COMPLETING, CLOSED }

  private final Vertx vertx;
  private final ObjectStorage storage;
  private final Function<StoredFile, Future<ServiceReply>> finisher;
  private final Consumer<UploadSession> onClose;
  private final StoredFile file;
  private final String address;
  private final long declaredSize;
  private final int partSize;
  private final long idleTimeoutMs;
  private final ObjectStorage.ObjectInfo info;

  private MessageConsumer<Object> consumer;
  private State state = State.RECEIVING;
  private long timer = -1;
  private long received;
  private final Buffer head = Buffer.buffer(ContentCheck.HEAD_BYTES);
  private boolean checked;
  private Buffer part;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private boolean objectWritten;
  private boolean discard;
  private boolean aborted;

  UploadSession(Vertx vertx, ObjectStorage storage, Function<StoredFile, Future<ServiceReply>> finisher,
                Consumer<UploadSession> onClose, StoredFile file, String address, int partSize, long idleTimeoutMs) {
    this.vertx = vertx;
    this.storage = storage;
    this.finisher = finisher;
    this.onClose = onClose;
    this.file = file;
    this.address = address;
    this.declaredSize = file.size();
    this.partSize = partSize;
    this.idleTimeoutMs = idleTimeoutMs;
    this.part = Buffer.buffer((int) Math.min(declaredSize, partSize) + 1);
    this.info = new ObjectStorage.ObjectInfo(file.contentType(),
        FileNames.contentDisposition(ContentCheck.inline(file.extension()), file.originalName()),
        Map.of("original-name", FileNames.percentEncode(file.originalName()), "owner-id", file.owner().id()));
  }

  String address() {
    return address;
  }

  /** Starts consuming the session address; resolves once messages can reach it (cluster-wide). */
  Future<Void> open() {
    consumer = vertx.eventBus().consumer(address, this::handle);
    touch();
    return consumer.completion();
  }

  private void handle(Message<Object> message) {
    String kind = message.headers().get(InternalActions.UPLOAD_HEADER);
    if (InternalActions.UPLOAD_ABORT.equals(kind)) {
      // once complete has been asked for, the file is finished regardless
      if (state == State.RECEIVING || state == State.BUSY) {
        fail(null, "aborted by the sender");
      }
      return;
    }
    if (state == State.CLOSED) {
      refuse(message, ApiException.badRequest("The upload session is closed"));
      return;
    }
    touch();
    if (InternalActions.UPLOAD_CHUNK.equals(kind)) {
      chunk(message);
    } else if (InternalActions.UPLOAD_COMPLETE.equals(kind)) {
      complete(message);
    } else {
      refuse(message, ApiException.badRequest("Unknown upload message '" + kind + "'"));
    }
  }

  private void chunk(Message<Object> message) {
    if (state != State.RECEIVING) {
      refuse(message, ApiException.conflict("Send the next chunk only after the previous one is answered"));
      return;
    }
    if (!(message.body() instanceof Buffer data)) {
      refuse(message, ApiException.badRequest("A chunk must be a buffer"));
      return;
    }
    received += data.length();
    ApiException problem = null;
    if (received > file.kind().maxBytes()) {
      problem = UploadService.tooLarge(file.kind());
    } else if (received > declaredSize) {
      problem = ApiException.badRequest("The file is larger than announced");
    } else if (ContentCheck.isText(file.extension()) && ContentCheck.hasNul(data)) {
      problem = ApiException.badRequest("svg".equals(file.extension())
          ? "The file is not an SVG image" : "The file is not a text file");
    } else if (!checked) {
      head.appendBuffer(data, 0, Math.min(data.length(), ContentCheck.HEAD_BYTES - head.length()));
      if (head.length() >= ContentCheck.HEAD_BYTES) {
        problem = check();
      }
    }
    if (problem != null) {
      fail(message, problem);
      return;
    }
    part.appendBuffer(data);
    if (part.length() < partSize) {
      message.reply(new JsonObject().put("received", received));
      return;
    }
    state = State.BUSY;
    cancelTimer(); // the storage call has its own timeout
    flushPart().onComplete(done -> {
      if (state == State.CLOSED) {
        refuse(message, ApiException.badRequest("The upload session is closed"));
      } else if (done.failed()) {
        fail(message, storageFailure(done.cause()));
      } else {
        state = State.RECEIVING;
        touch();
        message.reply(new JsonObject().put("received", received));
      }
    });
  }

  private void complete(Message<Object> message) {
    if (state != State.RECEIVING) {
      refuse(message, ApiException.conflict("Complete the upload only after the last chunk is answered"));
      return;
    }
    ApiException problem = null;
    if (received == 0) {
      problem = ApiException.badRequest("The file is empty");
    } else if (received != declaredSize) {
      problem = ApiException.badRequest("The file is shorter than announced");
    } else if (!checked) {
      problem = check();
    }
    if (problem != null) {
      fail(message, problem);
      return;
    }
    state = State.COMPLETING;
    cancelTimer();
    Future<Void> stored;
    if (uploadId == null) {
      stored = storage.put(file.key(), part, info);
    } else {
      Future<Void> last = part.length() > 0 ? flushPart().mapEmpty() : Future.succeededFuture();
      stored = last.compose(v -> storage.completeMultipart(file.key(), uploadId, parts));
    }
    part = null;
    stored
        .recover(error -> Future.failedFuture(storageFailure(error)))
        .onSuccess(v -> objectWritten = true)
        .compose(v -> finisher.apply(file))
        .onComplete(done -> {
          if (done.succeeded()) {
            close();
            message.reply(done.result().toJson());
          } else {
            fail(message, ServiceClient.toApiException(done.cause()));
          }
        });
  }

  /** The content check of the start of the file; null when it passes. */
  private ApiException check() {
    checked = true;
    String mismatch = ContentCheck.mismatch(file.extension(), head);
    return mismatch == null ? null : ApiException.badRequest(mismatch);
  }

  private Future<CompletedPart> flushPart() {
    Buffer bytes = part;
    part = Buffer.buffer((int) Math.max(0, Math.min(partSize, declaredSize - received)) + 1);
    Future<String> id = uploadId != null
        ? Future.succeededFuture(uploadId)
        : storage.createMultipart(file.key(), info).onSuccess(created -> {
          uploadId = created;
          if (discard) {
            discardStored();
          }
        });
    int number = parts.size() + 1;
    return id.compose(upload -> storage.uploadPart(file.key(), upload, number, bytes)).onSuccess(parts::add);
  }

  private ApiException storageFailure(Throwable error) {
    if (error instanceof ApiException api) {
      return api;
    }
    LOG.error("Storing {} failed", file.key(), ObjectStorage.cause(error));
    return ApiException.unavailable("File storage is not available right now; retry shortly");
  }

  /** Ends the session after a failure: answers the message (if any) and removes whatever was stored. */
  private void fail(Message<Object> message, Object reason) {
    boolean wasOpen = state != State.CLOSED;
    close();
    if (wasOpen) {
      if (!(reason instanceof ApiException)) {
        LOG.info("Upload {} ended: {}", file.key(), reason);
      }
      discardStored();
    }
    if (message != null && reason instanceof ApiException error) {
      refuse(message, error);
    }
  }

  /** Removes what this session stored; idempotent, and also applied to a multipart upload created after it. */
  private void discardStored() {
    discard = true;
    if (objectWritten) {
      objectWritten = false;
      storage.delete(file.key()).onFailure(e -> LOG.warn("Could not delete {}: {}", file.key(), e.toString()));
    } else if (uploadId != null && !aborted) {
      aborted = true;
      storage.abortMultipart(file.key(), uploadId)
          .onFailure(e -> LOG.warn("Could not abort the multipart upload of {}: {}", file.key(), e.toString()));
    }
  }

  private void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    cancelTimer();
    part = null;
    if (consumer != null) {
      consumer.unregister();
    }
    onClose.accept(this);
  }

  private void touch() {
    cancelTimer();
    timer = vertx.setTimer(idleTimeoutMs, t -> {
      timer = -1;
      if (state == State.RECEIVING) {
        fail(null, "no data for " + idleTimeoutMs + " ms");
      }
    });
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private static void refuse(Message<Object> message, ApiException error) {
    message.fail(error.status(), error.toJson().encode());
  }
}
