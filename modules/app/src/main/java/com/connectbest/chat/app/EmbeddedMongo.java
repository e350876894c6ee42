package com.connectbest.chat.app;

import com.connectbest.chat.common.InProcessStore;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.Settings;
import com.connectbest.chat.embeddedstore.DurableH2Backend;
import com.connectbest.chat.embeddedstore.InProcessMongoClient;
import com.connectbest.chat.embeddedstore.SlowCommandLog;
import de.bwaldvogel.mongo.MongoServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB-compatible server (mongo-java-server) started when MONGODB_URI is unset, on loopback only. Its backend
 * is {@link DurableH2Backend}: acknowledged writes are synced to the file, and indexes are real (module
 * {@code embedded-store}); {@code EMBEDDED_MONGO_BACKEND=memory} keeps the same indexes without a file.
 *
 * <p>With EMBEDDED_MONGO_TLS_CERT/_KEY, EMBEDDED_MONGO_PORT speaks TLS only (mongo-java-server cannot serve both on
 * one port) for co-located clients such as NextAuth, whose driver always uses TLS. Our own verticles then use a
 * second, plain listener on a random loopback port over the same data: the Java driver cannot be told through the URI
 * to trust a self-signed certificate, and traffic that never leaves the process's host gains nothing from TLS.
 */
public final class EmbeddedMongo implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final DurableH2Backend backend;
  private final List<Meter> meters;
  private final MongoServer server;
  private final MongoServer tlsServer;
  private final String description;

  private EmbeddedMongo(DurableH2Backend backend, MongoServer server, MongoServer tlsServer, String description) {
    this.backend = backend;
    this.meters = registerMeters(backend);
    this.server = server;
    this.tlsServer = tlsServer;
    this.description = description;
  }

  public static boolean wanted(Settings settings) {
    return settings.string("MONGODB_URI", null) == null;
  }

  /** Blocking (opens files, binds sockets): call it from a worker thread. */
  public static EmbeddedMongo start(Vertx vertx, Settings settings) {
    String cert = settings.string("EMBEDDED_MONGO_TLS_CERT", null);
    String key = settings.string("EMBEDDED_MONGO_TLS_KEY", null);
    if ((cert == null) != (key == null)) {
      throw new StartupFailure("EMBEDDED_MONGO_TLS_CERT and EMBEDDED_MONGO_TLS_KEY must be set together");
    }
    PemKeyPair tls = cert == null ? null : PemKeyPair.read(vertx, cert, key);
    int port = settings.integer("EMBEDDED_MONGO_PORT", 27017);
    boolean memory = "memory".equalsIgnoreCase(settings.string("EMBEDDED_MONGO_BACKEND", "h2"));
    Path file = memory ? null : Path.of(settings.string("DATA_DIR", "./data"), "mongo.mv.db").toAbsolutePath();
    boolean durable = settings.bool("EMBEDDED_MONGO_DURABLE_WRITES", true);
    int cacheMb = settings.integer("EMBEDDED_MONGO_CACHE_MB", DurableH2Backend.DEFAULT_CACHE_MB);
    if (cacheMb < 1) {
      throw new StartupFailure("EMBEDDED_MONGO_CACHE_MB must be at least 1, not " + cacheMb);
    }
    DurableH2Backend backend = memory ? DurableH2Backend.inMemory() : h2(file, durable, cacheMb);
    backend.logSlowCommands(settings.number("EMBEDDED_MONGO_SLOW_MS", SlowCommandLog.DEFAULT_THRESHOLD_MS));
    if (tls == null) {
      MongoServer server = bind(new MongoServer(backend), port);
      return new EmbeddedMongo(backend, server, null, describe(file, server, "", durable, backend));
    }
    MongoServer tlsServer = new MongoServer(backend);
    tlsServer.enableSsl(tls.key(), null, tls.chain());
    bind(tlsServer, port);
    MongoServer server = new MongoServer(backend);
    try {
      bind(server, 0);
    } catch (RuntimeException e) {
      tlsServer.shutdownNow();
      throw e;
    }
    return new EmbeddedMongo(backend, server, tlsServer, describe(file, tlsServer, " with TLS", durable, backend));
  }

  /** The connection string for our own verticles; it never carries credentials. */
  public String uri() {
    return "mongodb://" + HOST + ":" + server.getLocalAddress().getPort();
  }

  /**
   * This process's own path to the store: each call goes to the backend without the wire protocol
   * ({@link InProcessMongoClient}). The listener stays, for other processes and for the calls that path leaves to it.
   */
  public InProcessStore inProcess(String database) {
    return new InProcessStore() {
      @Override
      public io.vertx.ext.mongo.MongoClient client(Vertx vertx, io.vertx.ext.mongo.MongoClient wire,
                                                   boolean staged) {
        return new InProcessMongoClient(vertx, backend, database, wire, staged);
      }

      @Override
      public io.vertx.core.Future<Void> barrier(io.vertx.ext.mongo.MongoClient client) {
        return client instanceof InProcessMongoClient own ? own.barrier() : null;
      }
    };
  }

  /** The port offered to other local clients (TLS when configured). */
  public int port() {
    return (tlsServer == null ? server : tlsServer).getLocalAddress().getPort();
  }

  public String description() {
    return description;
  }

  /** Blocking: flushes the H2 file. */
  @Override
  public void close() {
    meters.forEach(Meters.registry()::remove);
    if (tlsServer != null) {
      tlsServer.shutdownNow();
    }
    server.shutdownNow();
  }

  /**
   * The store's write counters on {@code /metrics}: durable writes over file syncs is how many writes each group
   * commit shared, the figure that says whether the disk or the CPU bounds the write rate.
   */
  private static List<Meter> registerMeters(DurableH2Backend backend) {
    return List.of(
        FunctionCounter.builder(Meters.STORE_DURABLE_WRITES, backend, DurableH2Backend::durableWrites)
            .description("writes acknowledged once synced to the file").register(Meters.registry()),
        FunctionCounter.builder(Meters.STORE_STAGED_WRITES, backend, DurableH2Backend::stagedWrites)
            .description("writes acknowledged once applied (j: false), made durable by the next commit")
            .register(Meters.registry()),
        FunctionCounter.builder(Meters.STORE_FILE_SYNCS, backend, DurableH2Backend::fileSyncs)
            .description("group commits: each wrote and synced every write applied before it")
            .register(Meters.registry()),
        FunctionCounter.builder(Meters.STORE_SLOW_COMMANDS, backend, DurableH2Backend::slowCommands)
            .description("commands that took longer than EMBEDDED_MONGO_SLOW_MS to run (logged by SlowCommandLog)")
            .register(Meters.registry()),
        FunctionTimer.builder(Meters.STORE_CHECKPOINTS, backend, DurableH2Backend::checkpoints,
                DurableH2Backend::checkpointLockSeconds, TimeUnit.SECONDS)
            .description("store commits (about one a second under writes), timed by how long each held writers back")
            .register(Meters.registry()),
        TimeGauge.builder(Meters.STORE_CHECKPOINT_LONGEST, backend, TimeUnit.SECONDS,
                DurableH2Backend::longestCheckpointLockSeconds)
            .description("the longest time one checkpoint held writers back, since start").register(Meters.registry()));
  }

  private static DurableH2Backend h2(Path file, boolean durable, int cacheMb) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new StartupFailure("Cannot create DATA_DIR " + file.getParent() + ": " + e.getMessage());
    }
    try {
      return DurableH2Backend.open(file, durable, cacheMb);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot open the embedded MongoDB file " + file
          + " (does another instance use the same DATA_DIR?)", e);
    }
  }

  private static MongoServer bind(MongoServer server, int port) {
    try {
      // More workers than cores: a write's reply waits on its worker until the group commit has synced it.
      server.bind(new InetSocketAddress(HOST, port), 1, DurableH2Backend.WORKER_THREADS);
      return server;
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot start the embedded MongoDB on " + HOST + ":" + port
          + " (EMBEDDED_MONGO_PORT); free the port, choose another, or set MONGODB_URI", e);
    }
  }

  private static String describe(Path file, MongoServer listening, String tls, boolean durable,
      DurableH2Backend backend) {
    String where = HOST + ":" + listening.getLocalAddress().getPort() + tls;
    return file == null ? "embedded MongoDB in memory on " + where : "embedded MongoDB " + file + " on " + where
        + ", page cache " + backend.cacheSizeMb() + " MB"
        + (durable ? "" : " (EMBEDDED_MONGO_DURABLE_WRITES=false: acknowledged writes can be lost in a crash)");
  }
}
