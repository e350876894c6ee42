package com.connectbest.chat.embeddedstore;

import com.connectbest.chat.embeddedstore.ExtendedJson.Ids;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteError;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.mongo.AggregateOptions;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.CountOptions;
import io.vertx.ext.mongo.CreateCollectionOptions;
import io.vertx.ext.mongo.DistinctOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoClientBulkWriteResult;
import io.vertx.ext.mongo.MongoClientDeleteResult;
import io.vertx.ext.mongo.MongoClientUpdateResult;
import io.vertx.ext.mongo.MongoGridFsClient;
import io.vertx.ext.mongo.RenameCollectionOptions;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.ext.mongo.WriteOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * A {@link MongoClient} for the embedded store of this process that hands each call to the backend as the command
 * document the wire protocol would have carried, without the wire: no BSON encoding, no loopback TCP, no driver pool
 * (about half of the server's CPU on the hot reads went there; docs/performance.md, "In-process store calls").
 *
 * <p>It keeps vertx-mongo-client's contract with {@code useObjectId}: the same {@code _id} conversions (including
 * their quirks: {@code find} answers a hex string, {@code findOneAndUpdate} an {@code $oid}), the same result objects,
 * and the driver's exception types for write and command errors ({@link MongoWriteException},
 * {@link MongoCommandException}), so a service cannot tell which path it uses; {@code InProcessMongoClientTest} runs
 * each call on both and compares. The calls the services make on their hot paths run here; the rest (index
 * management, aggregations, bulk writes, GridFS, change streams, and any call with a hint, a collation or a write
 * option) go to {@code wire}, the ordinary client on the same backend.
 *
 * <p>The backend blocks: reads walk H2's pages. So reads run on a pool of store readers, never on an event loop, and
 * their answers are converted there too. Writes go to the durable backend's own threads, which answer once a write
 * may be acknowledged without a thread waiting for its group commit ({@link DurableH2Backend#submit}); the answer
 * is converted on the caller's context.
 */
public final class InProcessMongoClient implements MongoClient {

  /** The writers' pool for a backend other than {@link DurableH2Backend} (tests): one per Vert.x instance. */
  public static final String WORKERS = "embedded-store-calls";
  /** The readers' pool (finds, counts, distinct), also one per Vert.x instance. */
  public static final String READERS = "embedded-store-reads";
  /**
   * Reads wait for nothing but the CPU and the file's pages, so a pool about as wide as the machine serves them as
   * well as a wide one, and under load its threads go from one call to the next without parking: with the wide pool
   * each call woke a parked thread, and those wake-ups were a tenth of a channel list's CPU.
   */
  static final int READ_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private static final ServerAddress IN_PROCESS = new ServerAddress("in-process", 0);
  private final Vertx vertx;
  private final MongoBackend backend;
  private final String database;
  private final MongoClient wire;
  private final Document writeConcern;
  private final WorkerExecutor workers;
  private final WorkerExecutor readers;

  /**
   * @param wire the ordinary client on the same backend, for what does not run here (and closed with this one)
   * @param staged writes are acknowledged once applied, as the wire client with {@code {w: 1, j: false}}
   */
  public InProcessMongoClient(Vertx vertx, MongoBackend backend, String database, MongoClient wire, boolean staged) {
    this.vertx = vertx;
    this.backend = backend;
    this.database = database;
    this.wire = wire;
    this.writeConcern = staged ? new Document("w", 1).append("j", false) : null;
    this.workers = vertx.createSharedWorkerExecutor(WORKERS, READ_THREADS);
    this.readers = vertx.createSharedWorkerExecutor(READERS, READ_THREADS);
  }

  // ---- writes

  @Override
  public Future<String> insert(String collection, JsonObject document) {
    return insertWithOptions(collection, document, null);
  }

  @Override
  public Future<String> insertWithOptions(String collection, JsonObject document, WriteOption writeOption) {
    return writeOption != null ? wire.insertWithOptions(collection, document, writeOption)
        : insert(collection, document, false);
  }

  /**
   * The caller's document ends as the driver leaves it: a generated {@code _id} as a hex string after
   * {@code insert}, as an {@code $oid} after {@code save}; a given hex {@code _id} as an {@code $oid}.
   */
  private Future<String> insert(String collection, JsonObject document, boolean generatedAsOid) {
    boolean customId = document.containsKey(ExtendedJson.ID);
    String generated = customId ? null : new org.bson.types.ObjectId().toHexString();
    if (!customId) {
      document.put(ExtendedJson.ID, generatedAsOid ? new JsonObject().put("$oid", generated) : generated);
    } else {
      oidForHex(document);
    }
    Document command = writeCommand("insert", collection).append("documents", List.of(ExtendedJson.toDocument(document,
        Ids.TOP_LEVEL)));
    return submit("insert", command, reply -> {
      writeErrors(reply);
      return generated;
    });
  }

  /** vertx-mongo-client's {@code encodeKeyWhenUseObjectId}: a hex {@code _id} string becomes an {@code $oid}. */
  private static void oidForHex(JsonObject document) {
    if (ExtendedJson.isObjectId(document.getValue(ExtendedJson.ID))) {
      document.put(ExtendedJson.ID, new JsonObject().put("$oid", document.getString(ExtendedJson.ID)));
    }
  }

  @Override
  public Future<String> save(String collection, JsonObject document) {
    return saveWithOptions(collection, document, null);
  }

  @Override
  public Future<String> saveWithOptions(String collection, JsonObject document, WriteOption writeOption) {
    if (writeOption != null) {
      return wire.saveWithOptions(collection, document, writeOption);
    }
    if (!document.containsKey(ExtendedJson.ID)) {
      return insert(collection, document, true);
    }
    oidForHex(document);
    Document replacement = ExtendedJson.toDocument(document, Ids.TOP_LEVEL);
    Document update = new Document("q", new Document(ExtendedJson.ID, replacement.get(ExtendedJson.ID)))
        .append("u", replacement).append("upsert", true).append("multi", false);
    Document command = writeCommand("update", collection).append("updates", List.of(update));
    return submit("update", command, reply -> {
      writeErrors(reply);
      return null;
    });
  }

  @Override
  public Future<MongoClientUpdateResult> updateCollection(String collection, JsonObject query, JsonObject update) {
    return updateCollectionWithOptions(collection, query, update, new UpdateOptions());
  }

  @Override
  public Future<MongoClientUpdateResult> updateCollectionWithOptions(String collection, JsonObject query,
      JsonObject update, UpdateOptions options) {
    if (!plain(options)) {
      return wire.updateCollectionWithOptions(collection, query, update, options);
    }
    oidForHex(update);
    Document statement = new Document("q", ExtendedJson.toDocument(query, Ids.ANY_DEPTH))
        .append("u", ExtendedJson.toDocument(update, Ids.TOP_LEVEL))
        .append("multi", options.isMulti()).append("upsert", options.isUpsert());
    if (options.getArrayFilters() != null && !options.getArrayFilters().isEmpty()) {
      statement.append("arrayFilters", ExtendedJson.toValue(options.getArrayFilters(), Ids.NONE));
    }
    Document command = writeCommand("update", collection).append("updates", List.of(statement));
    return submit("update", command, answer -> {
      Document reply = writeErrors(answer);
      long n = ((Number) reply.get("n")).longValue();
      long modified = ((Number) reply.getOrDefault("nModified", 0)).longValue();
      JsonObject upsertedId = null;
      if (reply.get("upserted") instanceof List<?> upserts && !upserts.isEmpty()) {
        n -= upserts.size();
        upsertedId = new JsonObject().put(ExtendedJson.ID,
            ExtendedJson.toJsonValue(((Document) upserts.get(0)).get(ExtendedJson.ID)));
      }
      return new MongoClientUpdateResult(n, upsertedId, modified);
    });
  }

  @Override
  public Future<MongoClientDeleteResult> removeDocuments(String collection, JsonObject query) {
    return removeDocumentsWithOptions(collection, query, null);
  }

  @Override
  public Future<MongoClientDeleteResult> removeDocumentsWithOptions(String collection, JsonObject query,
      WriteOption writeOption) {
    return writeOption != null ? wire.removeDocumentsWithOptions(collection, query, writeOption)
        : delete(collection, query, 0);
  }

  @Override
  public Future<MongoClientDeleteResult> removeDocument(String collection, JsonObject query) {
    return removeDocumentWithOptions(collection, query, null);
  }

  @Override
  public Future<MongoClientDeleteResult> removeDocumentWithOptions(String collection, JsonObject query,
      WriteOption writeOption) {
    return writeOption != null ? wire.removeDocumentWithOptions(collection, query, writeOption)
        : delete(collection, query, 1);
  }

  private Future<MongoClientDeleteResult> delete(String collection, JsonObject query, int limit) {
    Document command = writeCommand("delete", collection).append("deletes",
        List.of(new Document("q", ExtendedJson.toDocument(query, Ids.ANY_DEPTH)).append("limit", limit)));
    return submit("delete", command,
        reply -> new MongoClientDeleteResult(((Number) writeErrors(reply).get("n")).longValue()));
  }

  @Override
  public Future<JsonObject> findOneAndUpdate(String collection, JsonObject query, JsonObject update) {
    return findOneAndUpdateWithOptions(collection, query, update, new FindOptions(), new UpdateOptions());
  }

  @Override
  public Future<JsonObject> findOneAndUpdateWithOptions(String collection, JsonObject query, JsonObject update,
      FindOptions findOptions, UpdateOptions updateOptions) {
    if (!plain(findOptions) || !plain(updateOptions)
        || updateOptions.getArrayFilters() != null && !updateOptions.getArrayFilters().isEmpty()) {
      return wire.findOneAndUpdateWithOptions(collection, query, update, findOptions, updateOptions);
    }
    // vertx-mongo-client neither converts this update's _id strings nor the answer's _id: neither do we.
    Document command = findAndModify(collection, query, findOptions)
        .append("update", ExtendedJson.toDocument(update, Ids.NONE))
        .append("new", updateOptions.isReturningNewDocument()).append("upsert", updateOptions.isUpsert());
    return submit("findAndModify", command, InProcessMongoClient::value);
  }

  @Override
  public Future<JsonObject> findOneAndDelete(String collection, JsonObject query) {
    return findOneAndDeleteWithOptions(collection, query, new FindOptions());
  }

  @Override
  public Future<JsonObject> findOneAndDeleteWithOptions(String collection, JsonObject query, FindOptions findOptions) {
    if (!plain(findOptions)) {
      return wire.findOneAndDeleteWithOptions(collection, query, findOptions);
    }
    Document command = findAndModify(collection, query, findOptions).append("remove", true);
    return submit("findAndModify", command, InProcessMongoClient::value);
  }

  private Document findAndModify(String collection, JsonObject query, FindOptions options) {
    Document command = new Document("findAndModify", collection)
        .append("query", ExtendedJson.toDocument(query, Ids.ANY_DEPTH));
    if (options.getSort() != null) {
      command.append("sort", ExtendedJson.toDocument(options.getSort(), Ids.NONE));
    }
    if (options.getFields() != null) {
      command.append("fields", ExtendedJson.toDocument(options.getFields(), Ids.NONE));
    }
    if (writeConcern != null) {
      command.append("writeConcern", writeConcern);
    }
    return command;
  }

  private static JsonObject value(Document reply) {
    return reply.get("value") instanceof Document document ? ExtendedJson.toJson(document, false) : null;
  }

  // ---- reads

  @Override
  public Future<List<JsonObject>> find(String collection, JsonObject query) {
    return findWithOptions(collection, query, new FindOptions());
  }

  @Override
  public Future<List<JsonObject>> findWithOptions(String collection, JsonObject query, FindOptions options) {
    if (!plain(options)) {
      return wire.findWithOptions(collection, query, options);
    }
    Document command = new Document("find", collection).append("filter", ExtendedJson.toDocument(query, Ids.ANY_DEPTH));
    if (options.getSort() != null) {
      command.append("sort", ExtendedJson.toDocument(options.getSort(), Ids.NONE));
    }
    if (options.getFields() != null) {
      command.append("projection", ExtendedJson.toDocument(options.getFields(), Ids.NONE));
    }
    // As the driver: -1 is "no limit", another negative limit is a single batch of that many.
    if (options.getLimit() != -1 && options.getLimit() != 0) {
      command.append("limit", Math.abs(options.getLimit()));
    }
    if (options.getSkip() > 0) {
      command.append("skip", options.getSkip());
    }
    return read(() -> documents(collection, command("find", command)));
  }

  @Override
  public Future<JsonObject> findOne(String collection, JsonObject query, JsonObject fields) {
    FindOptions options = new FindOptions().setLimit(1);
    if (fields != null) {
      options.setFields(fields);
    }
    return findWithOptions(collection, query, options).map(found -> found.isEmpty() ? null : found.get(0));
  }

  @Override
  public Future<Long> count(String collection, JsonObject query) {
    return countWithOptions(collection, query, null);
  }

  @Override
  public Future<Long> countWithOptions(String collection, JsonObject query, CountOptions options) {
    if (options != null && (options.getHint() != null || options.getHintString() != null
        || options.getCollation() != null)) {
      return wire.countWithOptions(collection, query, options);
    }
    Document command = new Document("count", collection).append("query", ExtendedJson.toDocument(query, Ids.ANY_DEPTH));
    if (options != null && options.getLimit() != null && options.getLimit() > 0) {
      command.append("limit", options.getLimit());
    }
    if (options != null && options.getSkip() != null && options.getSkip() > 0) {
      command.append("skip", options.getSkip());
    }
    return read(() -> ((Number) command("count", command).get("n")).longValue());
  }

  @Override
  public Future<JsonArray> distinct(String collection, String fieldName, String resultClassname) {
    return distinctWithQuery(collection, fieldName, resultClassname, new JsonObject());
  }

  @Override
  public Future<JsonArray> distinct(String collection, String fieldName, String resultClassname,
      DistinctOptions options) {
    return options != null ? wire.distinct(collection, fieldName, resultClassname, options)
        : distinct(collection, fieldName, resultClassname);
  }

  @Override
  public Future<JsonArray> distinctWithQuery(String collection, String fieldName, String resultClassname,
      JsonObject query) {
    Document command = new Document("distinct", collection).append("key", fieldName)
        .append("query", ExtendedJson.toDocument(query, Ids.ANY_DEPTH));
    return read(() -> (JsonArray) ExtendedJson.toJsonValue(command("distinct", command).get("values")));
  }

  @Override
  public Future<JsonArray> distinctWithQuery(String collection, String fieldName, String resultClassname,
      JsonObject query, DistinctOptions options) {
    return options != null ? wire.distinctWithQuery(collection, fieldName, resultClassname, query, options)
        : distinctWithQuery(collection, fieldName, resultClassname, query);
  }

  /** Every document of a find, following the backend's cursor when it answers in batches. */
  private List<JsonObject> documents(String collection, Document reply) {
    Document cursor = (Document) reply.get("cursor");
    List<JsonObject> found = new ArrayList<>();
    add(found, cursor.get("firstBatch"));
    long id = ((Number) cursor.getOrDefault("id", 0L)).longValue();
    while (id != 0) {
      Document more = command("getMore", new Document("getMore", id).append("collection", collection));
      cursor = (Document) more.get("cursor");
      add(found, cursor.get("nextBatch"));
      id = ((Number) cursor.getOrDefault("id", 0L)).longValue();
    }
    return found;
  }

  private static void add(List<JsonObject> found, Object batch) {
    for (Object document : (List<?>) batch) {
      found.add(ExtendedJson.toJson((Document) document, true));
    }
  }

  // ---- the call itself

  private Document writeCommand(String command, String collection) {
    Document document = new Document(command, collection).append("ordered", true);
    if (writeConcern != null) {
      document.append("writeConcern", writeConcern);
    }
    return document;
  }

  /**
   * A write, answered on the caller's context. The durable backend applies it on its own threads and answers once it
   * may be acknowledged, with no thread waiting for the group commit ({@link DurableH2Backend#submit}); any other
   * backend runs it on a worker.
   */
  private <T> Future<T> submit(String name, Document command, Function<Document, T> answer) {
    if (!(backend instanceof DurableH2Backend durable)) {
      return workers.executeBlocking(() -> answer.apply(command(name, command)), false);
    }
    return onCallersContext(durable.submit(database, name, command), answer);
  }

  /**
   * Resolves, on the caller's context, once every write this store applied so far is durable, without writing
   * ({@link DurableH2Backend#barrier}); at once for a backend that makes nothing durable.
   */
  public Future<Void> barrier() {
    if (!(backend instanceof DurableH2Backend durable)) {
      return Future.succeededFuture();
    }
    return onCallersContext(durable.barrier(), done -> null);
  }

  /** The backend's answer, converted on the caller's context; its errors become the driver's exceptions. */
  private <R, T> Future<T> onCallersContext(CompletableFuture<R> pending, Function<R, T> answer) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    pending.whenComplete((reply, error) -> context.runOnContext(now -> {
      if (error != null) {
        promise.fail(driverException(error instanceof CompletionException ? error.getCause() : error));
        return;
      }
      try {
        promise.complete(answer.apply(reply));
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    }));
    return promise.future();
  }

  private <T> Future<T> read(Callable<T> work) {
    return readers.executeBlocking(work, false);
  }

  /** Runs on a worker; the backend's errors become the driver's exception for the same reply. */
  private Document command(String name, Document command) {
    try {
      return backend.handleCommand(DurableH2Backend.CHANNEL.get(), database, name, command);
    } catch (MongoServerException e) {
      throw driverException(e);
    }
  }

  /** The driver's exception for the backend's error (as its reply over the wire would make it), else the error. */
  private static Throwable driverException(Throwable error) {
    return error instanceof MongoServerException e ? driverException(e) : error;
  }

  private static MongoCommandException driverException(MongoServerException e) {
    BsonDocument response = new BsonDocument("ok", new BsonInt32(0))
        .append("errmsg", new BsonString(e.getMessageWithoutErrorCode()));
    if (e instanceof MongoServerError serverError) {
      response.append("code", new BsonInt32(serverError.getCode()));
      if (serverError.getCodeName() != null) {
        response.append("codeName", new BsonString(serverError.getCodeName()));
      }
    }
    return new MongoCommandException(response, IN_PROCESS);
  }

  /** A write's reply, or the driver's exception for its first write error (a duplicate key, most often). */
  private static Document writeErrors(Document reply) {
    if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
      Map<?, ?> error = (Map<?, ?>) errors.get(0);
      throw new MongoWriteException(new WriteError(((Number) error.get("code")).intValue(),
          String.valueOf(error.get("errmsg")), new BsonDocument()), IN_PROCESS);
    }
    return reply;
  }

  private static boolean plain(FindOptions options) {
    return options.getHint() == null && (options.getHintString() == null || options.getHintString().isEmpty())
        && options.getCollation() == null;
  }

  private static boolean plain(UpdateOptions options) {
    return options.getHint() == null && (options.getHintString() == null || options.getHintString().isEmpty())
        && options.getCollation() == null && options.getWriteOption() == null;
  }

  // ---- everything else: the wire client on the same backend

  @Override
  public Future<MongoClientUpdateResult> updateCollection(String collection, JsonObject query, JsonArray update) {
    return wire.updateCollection(collection, query, update);
  }

  @Override
  public Future<MongoClientUpdateResult> updateCollectionWithOptions(String collection, JsonObject query,
      JsonArray update, UpdateOptions options) {
    return wire.updateCollectionWithOptions(collection, query, update, options);
  }

  @Override
  public Future<MongoClientUpdateResult> replaceDocuments(String collection, JsonObject query, JsonObject replace) {
    return wire.replaceDocuments(collection, query, replace);
  }

  @Override
  public Future<MongoClientUpdateResult> replaceDocumentsWithOptions(String collection, JsonObject query,
      JsonObject replace, UpdateOptions options) {
    return wire.replaceDocumentsWithOptions(collection, query, replace, options);
  }

  @Override
  public Future<MongoClientBulkWriteResult> bulkWrite(String collection, List<BulkOperation> operations) {
    return wire.bulkWrite(collection, operations);
  }

  @Override
  public Future<MongoClientBulkWriteResult> bulkWriteWithOptions(String collection, List<BulkOperation> operations,
      BulkWriteOptions options) {
    return wire.bulkWriteWithOptions(collection, operations, options);
  }

  @Override
  public ReadStream<JsonObject> findBatch(String collection, JsonObject query) {
    return wire.findBatch(collection, query);
  }

  @Override
  public ReadStream<JsonObject> findBatchWithOptions(String collection, JsonObject query, FindOptions options) {
    return wire.findBatchWithOptions(collection, query, options);
  }

  @Override
  public Future<JsonObject> findOneAndReplace(String collection, JsonObject query, JsonObject replace) {
    return wire.findOneAndReplace(collection, query, replace);
  }

  @Override
  public Future<JsonObject> findOneAndReplaceWithOptions(String collection, JsonObject query, JsonObject replace,
      FindOptions findOptions, UpdateOptions updateOptions) {
    return wire.findOneAndReplaceWithOptions(collection, query, replace, findOptions, updateOptions);
  }

  @Override
  public Future<Void> createCollection(String collectionName) {
    return wire.createCollection(collectionName);
  }

  @Override
  public Future<Void> createCollectionWithOptions(String collectionName, CreateCollectionOptions options) {
    return wire.createCollectionWithOptions(collectionName, options);
  }

  @Override
  public Future<List<String>> getCollections() {
    return wire.getCollections();
  }

  @Override
  public Future<Void> dropCollection(String collection) {
    return wire.dropCollection(collection);
  }

  @Override
  public Future<Void> renameCollection(String oldName, String newName) {
    return wire.renameCollection(oldName, newName);
  }

  @Override
  public Future<Void> renameCollectionWithOptions(String oldName, String newName, RenameCollectionOptions options) {
    return wire.renameCollectionWithOptions(oldName, newName, options);
  }

  @Override
  public Future<Void> createIndex(String collection, JsonObject key) {
    return wire.createIndex(collection, key);
  }

  @Override
  public Future<Void> createIndexWithOptions(String collection, JsonObject key, IndexOptions options) {
    return wire.createIndexWithOptions(collection, key, options);
  }

  @Override
  public Future<Void> createIndexes(String collection, List<IndexModel> indexes) {
    return wire.createIndexes(collection, indexes);
  }

  @Override
  public Future<JsonArray> listIndexes(String collection) {
    return wire.listIndexes(collection);
  }

  @Override
  public Future<Void> dropIndex(String collection, String indexName) {
    return wire.dropIndex(collection, indexName);
  }

  @Override
  public Future<Void> dropIndex(String collection, JsonObject key) {
    return wire.dropIndex(collection, key);
  }

  @Override
  public Future<JsonObject> runCommand(String commandName, JsonObject command) {
    return wire.runCommand(commandName, command);
  }

  @Override
  public ReadStream<JsonObject> distinctBatch(String collection, String fieldName, String resultClassname) {
    return wire.distinctBatch(collection, fieldName, resultClassname);
  }

  @Override
  public ReadStream<JsonObject> distinctBatch(String collection, String fieldName, String resultClassname,
      DistinctOptions options) {
    return wire.distinctBatch(collection, fieldName, resultClassname, options);
  }

  @Override
  public ReadStream<JsonObject> distinctBatchWithQuery(String collection, String fieldName, String resultClassname,
      JsonObject query) {
    return wire.distinctBatchWithQuery(collection, fieldName, resultClassname, query);
  }

  @Override
  public ReadStream<JsonObject> distinctBatchWithQuery(String collection, String fieldName, String resultClassname,
      JsonObject query, DistinctOptions options) {
    return wire.distinctBatchWithQuery(collection, fieldName, resultClassname, query, options);
  }

  @Override
  public ReadStream<JsonObject> distinctBatchWithQuery(String collection, String fieldName, String resultClassname,
      JsonObject query, int batchSize) {
    return wire.distinctBatchWithQuery(collection, fieldName, resultClassname, query, batchSize);
  }

  @Override
  public ReadStream<JsonObject> distinctBatchWithQuery(String collection, String fieldName, String resultClassname,
      JsonObject query, int batchSize, DistinctOptions options) {
    return wire.distinctBatchWithQuery(collection, fieldName, resultClassname, query, batchSize, options);
  }

  @Override
  public ReadStream<JsonObject> aggregate(String collection, JsonArray pipeline) {
    return wire.aggregate(collection, pipeline);
  }

  @Override
  public ReadStream<JsonObject> aggregateWithOptions(String collection, JsonArray pipeline, AggregateOptions options) {
    return wire.aggregateWithOptions(collection, pipeline, options);
  }

  @Override
  public ReadStream<ChangeStreamDocument<JsonObject>> watch(String collection, JsonArray pipeline,
      boolean withUpdatedDoc, int batchSize) {
    return wire.watch(collection, pipeline, withUpdatedDoc, batchSize);
  }

  @Override
  public Future<MongoGridFsClient> createDefaultGridFsBucketService() {
    return wire.createDefaultGridFsBucketService();
  }

  @Override
  public Future<MongoGridFsClient> createGridFsBucketService(String bucketName) {
    return wire.createGridFsBucketService(bucketName);
  }

  /** Closes the wire client first, on the caller's context, where vertx-mongo-client queues its driver's close. */
  @Override
  public Future<Void> close() {
    Future<Void> wireClosed = wire.close();
    return Future.join(wireClosed, workers.close(), readers.close()).mapEmpty();
  }
}
