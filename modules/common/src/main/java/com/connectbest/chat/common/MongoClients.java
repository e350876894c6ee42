package com.connectbest.chat.common;

import com.mongodb.ConnectionString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One shared connection pool per Vert.x instance, configured from MONGODB_URI and MONGODB_DB_NAME. */
public final class MongoClients {

  public static final String DEFAULT_DATABASE = "chatapp";
  public static final String DEFAULT_WRITE_CONCERN = "majority";
  /**
   * Set by the application (not by operators) when MONGODB_URI points at the embedded server it started: that store
   * makes writes durable itself, so the driver's default write concern is left alone there.
   */
  public static final String EMBEDDED_MARKER = "MONGODB_EMBEDDED";
  public static final int DEFAULT_STARTUP_TIMEOUT_SECONDS = 60;

  private static final Logger LOG = LoggerFactory.getLogger(MongoClients.class);
  private static final long STARTUP_RETRY_MS = 500;

  private MongoClients() {
  }

  /**
   * The server-side time limit ({@code maxTimeMS}) of the store calls whose vertx-mongo-client options carry one
   * (counts, aggregations): the bus timeout, after which nobody waits for the answer. Finds and updates have no such
   * option in vertx-mongo-client 5.0.7 (docs/performance.md).
   */
  public static final long QUERY_MAX_TIME_MS = ServiceClient.DEFAULT_TIMEOUT_MS;

  /** Options of a count bounded by {@link #QUERY_MAX_TIME_MS}. */
  public static io.vertx.ext.mongo.CountOptions boundedCount() {
    return new io.vertx.ext.mongo.CountOptions().setMaxTime(QUERY_MAX_TIME_MS);
  }

  /** The most rows {@link #aggregate} answers: it is for aggregations that fold a collection into a few rows. */
  public static final int AGGREGATE_MAX_ROWS = 1_000;

  /**
   * Runs an aggregation as one {@code aggregate} command and resolves to its rows (at most
   * {@value #AGGREGATE_MAX_ROWS}), bounded by {@link #QUERY_MAX_TIME_MS}. Not vertx-mongo-client's
   * {@code aggregate} read stream: that stream now and then never delivers its rows (vert-x3/vertx-mongo-client#282;
   * it hung a test of ours for 60 s), and a request waiting on it would wait until its timeout.
   */
  public static Future<List<JsonObject>> aggregate(MongoClient mongo, String collection, JsonArray pipeline) {
    JsonObject command = new JsonObject().put("aggregate", collection).put("pipeline", pipeline)
        .put("cursor", new JsonObject().put("batchSize", AGGREGATE_MAX_ROWS)).put("maxTimeMS", QUERY_MAX_TIME_MS);
    return mongo.runCommand("aggregate", command).map(answer -> {
      JsonObject cursor = answer.getJsonObject("cursor", new JsonObject());
      List<JsonObject> rows = new ArrayList<>();
      cursor.getJsonArray("firstBatch", new JsonArray()).forEach(row -> {
        if (row instanceof JsonObject object) {
          rows.add(object);
        }
      });
      return rows;
    });
  }

  /** Resolves once the server answers a ping. */
  public static Future<Void> ping(MongoClient mongo) {
    return mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  public static MongoClient shared(Vertx vertx, Settings settings) {
    JsonObject options = options(settings);
    return inProcess(vertx, MongoClient.createShared(vertx, options,
        "connectbest-" + options.getString("connection_string").hashCode()), false);
  }

  private static final String IN_PROCESS_MAP = "connectbest.store";
  private static final String IN_PROCESS_KEY = "in-process";

  /**
   * Makes this Vert.x instance's store clients reach {@code store} in process (the embedded default, which the
   * application started itself). Call it before the services deploy.
   */
  public static void useInProcess(Vertx vertx, InProcessStore store) {
    vertx.sharedData().<String, InProcessStore>getLocalMap(IN_PROCESS_MAP).put(IN_PROCESS_KEY, store);
  }

  private static MongoClient inProcess(Vertx vertx, MongoClient wire, boolean staged) {
    InProcessStore store = vertx.sharedData().<String, InProcessStore>getLocalMap(IN_PROCESS_MAP).get(IN_PROCESS_KEY);
    return store == null ? wire : store.client(vertx, wire, staged);
  }

  /**
   * A second shared pool for <b>staged writes</b>: acknowledged once applied ({@code w: 1, j: false}), not once
   * durable. A request may stage its first writes only if it ends with a durable write (or {@link #barrier}) before
   * it answers: a durable write covers every write applied before it, because the embedded store commits whole
   * snapshots in apply order and MongoDB's journal and oplog are sequential. So the request pays for one durable wait
   * instead of one per write (docs/performance.md, "The send"). Whichever write concern vertx-mongo-client ends up
   * using for this pool (its options, or one carried by MONGODB_URI), the rule above keeps acknowledged writes durable:
   * at worst staged writes are as durable as the others, only slower.
   */
  public static MongoClient staged(Vertx vertx, Settings settings) {
    JsonObject options = options(settings).put("w", 1).put("j", false);
    return inProcess(vertx, MongoClient.createShared(vertx, options,
        "connectbest-staged-" + options.getString("connection_string").hashCode()), true);
  }

  /** The collection whose one document {@link #barrier} writes. */
  public static final String BARRIER_COLLECTION = "store_barrier";

  /**
   * A durable write of nothing that matters: once it is acknowledged, every staged write applied before it is
   * durable too. For the paths that staged writes and then end without a durable write of their own.
   */
  public static Future<Void> barrier(MongoClient durable) {
    // The embedded store of this process waits for its next group commit instead: the same guarantee, no write.
    io.vertx.core.Context context = Vertx.currentContext();
    InProcessStore store = context == null ? null
        : context.owner().sharedData().<String, InProcessStore>getLocalMap(IN_PROCESS_MAP).get(IN_PROCESS_KEY);
    Future<Void> own = store == null ? null : store.barrier(durable);
    if (own != null) {
      return own;
    }
    return durable.updateCollectionWithOptions(BARRIER_COLLECTION, new JsonObject().put("_id", "barrier"),
        new JsonObject().put("$inc", new JsonObject().put("n", 1)),
        new io.vertx.ext.mongo.UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** The vertx-mongo-client configuration every service's shared pool is built from. */
  public static JsonObject options(Settings settings) {
    String uri = settings.string("MONGODB_URI", null);
    if (uri == null) {
      throw new IllegalStateException("MONGODB_URI is not set (the app sets it to the embedded server by default)");
    }
    return new JsonObject()
        .put("connection_string", uri)
        .put("db_name", settings.string("MONGODB_DB_NAME", DEFAULT_DATABASE))
        .put("useObjectId", true)
        .put("serverSelectionTimeoutMS", settings.number("MONGODB_TIMEOUT_MS", 3_000))
        .put("connectTimeoutMS", settings.number("MONGODB_TIMEOUT_MS", 3_000))
        .mergeIn(writeConcern(settings, uri));
  }

  /**
   * {@code w} and {@code j} from MONGODB_WRITE_CONCERN / MONGODB_WRITE_JOURNAL; empty for the embedded store, and
   * when the URI carries its own write concern ({@code w=}, {@code journal=}, {@code wtimeoutMS=}), since
   * vertx-mongo-client would otherwise let these options override the URI.
   */
  static JsonObject writeConcern(Settings settings, String uri) {
    JsonObject options = new JsonObject();
    if (settings.bool(EMBEDDED_MARKER, false) || new ConnectionString(uri).getWriteConcern() != null) {
      return options;
    }
    return options.put("w", parseW(settings.string("MONGODB_WRITE_CONCERN", DEFAULT_WRITE_CONCERN)))
        .put("j", settings.bool("MONGODB_WRITE_JOURNAL", true));
  }

  /** The write concern the shared pool uses, for the startup log. */
  public static String describeWriteConcern(Settings settings) {
    String uri = settings.string("MONGODB_URI", null);
    if (uri == null || settings.bool(EMBEDDED_MARKER, false)) {
      return "the driver's default (acknowledged)";
    }
    if (new ConnectionString(uri).getWriteConcern() != null) {
      return new ConnectionString(uri).getWriteConcern().asDocument().toJson() + " (from MONGODB_URI)";
    }
    JsonObject options = writeConcern(settings, uri);
    return "w: " + options.getValue("w") + ", j: " + options.getBoolean("j");
  }

  /** Fails with the reason an operator can act on when MONGODB_WRITE_CONCERN is not a value MongoDB accepts. */
  public static void validateWriteConcern(Settings settings) {
    String uri = settings.string("MONGODB_URI", null);
    if (uri != null) {
      writeConcern(settings, uri);
    }
  }

  private static Object parseW(String value) {
    String text = value.trim().toLowerCase(java.util.Locale.ROOT);
    if ("majority".equals(text)) {
      return "majority";
    }
    if ("acknowledged".equals(text)) {
      return 1;
    }
    try {
      int w = Integer.parseInt(text);
      if (w >= 1) {
        return w;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("MONGODB_WRITE_CONCERN must be majority, acknowledged or a number of members"
        + " (1 or more), not '" + value + "'");
  }

  /**
   * Resolves once the store answers a ping, trying again every half second until STARTUP_TIMEOUT_SECONDS have passed.
   * A store that is merely slow to answer at start (a busy machine, a replica set electing) must not fail the start
   * after one MONGODB_TIMEOUT_MS; a store that never answers fails it with one sentence.
   */
  public static Future<Void> awaitReachable(Vertx vertx, MongoClient mongo, Settings settings, String who) {
    long budgetMs = settings.number("STARTUP_TIMEOUT_SECONDS", DEFAULT_STARTUP_TIMEOUT_SECONDS) * 1000;
    long deadline = System.currentTimeMillis() + budgetMs;
    Promise<Void> reachable = Promise.promise();
    attempt(vertx, mongo, deadline, budgetMs, who, true, reachable);
    return reachable.future();
  }

  private static void attempt(Vertx vertx, MongoClient mongo, long deadline, long budgetMs, String who, boolean first,
      Promise<Void> reachable) {
    ping(mongo).onComplete(done -> {
      if (done.succeeded()) {
        reachable.complete();
      } else if (MongoDocs.isUnavailable(done.cause()) && System.currentTimeMillis() + STARTUP_RETRY_MS < deadline) {
        if (first) {
          LOG.info("{}: MongoDB does not answer yet ({}); waiting up to {} s (STARTUP_TIMEOUT_SECONDS)", who,
              firstLine(done.cause()), budgetMs / 1000);
        }
        vertx.setTimer(STARTUP_RETRY_MS, id -> attempt(vertx, mongo, deadline, budgetMs, who, false, reachable));
      } else {
        reachable.fail(new IllegalStateException("MongoDB did not answer within " + budgetMs / 1000
            + " s (STARTUP_TIMEOUT_SECONDS): " + firstLine(done.cause()), done.cause()));
      }
    });
  }

  private static String firstLine(Throwable error) {
    String message = String.valueOf(error.getMessage());
    int cut = message.indexOf('.');
    return cut > 0 && cut < 160 ? message.substring(0, cut) : message.length() > 160 ? message.substring(0, 160) : message;
  }
}
