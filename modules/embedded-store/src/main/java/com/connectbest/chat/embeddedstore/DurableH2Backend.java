package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend made a database to depend on:
 * <ul>
 *   <li><b>Durable acknowledgements.</b> A write command's reply is sent only after its change is committed and
 *   synced to the file ({@link GroupCommit}); concurrent writes share one sync. Upstream acknowledges first and
 *   lets a background thread commit about once a second, so {@code kill -9} lost the last second or two.</li>
 *   <li><b>Real indexes.</b> Unique and secondary indexes are {@link OrderedIndex}es that queries read by range,
 *   in order, with early stop ({@link IndexScan}); upstream ignores secondary indexes and scans.</li>
 * </ul>
 * Over the wire the reply of a write waits on the server's worker thread; {@link #WORKER_THREADS} of them let that
 * many writes share each sync: bind the {@code MongoServer} with that many worker threads. In the process,
 * {@link #submit} waits on no thread.
 */
public final class DurableH2Backend extends H2Backend {

  private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);

  /**
   * Netty workers serving the wire protocol. A write's worker waits for its group commit, and every connection a
   * worker serves waits with it; with at least one worker per pooled driver connection (the drivers default to 100)
   * no request queues behind another connection's commit. 32 workers gave a durable send maximum of about 1,400/s
   * with p99 above a second at 1,200/s; 128 gave about 2,500/s (docs/performance.md, benchmark 2).
   */
  public static final int WORKER_THREADS = 128;
  /**
   * Housekeeping: every commit writes new copies of the pages it changed (H2 is copy-on-write), so under load old
   * chunks fill with dead pages quickly (a 1M-message fill without it left a 13.5 GB file). H2's own background
   * housekeeping also commits, outside the apply lock, so it is off; this rewrites the live pages of the sparsest
   * chunks instead, a little at a time. Rewriting changes no content and commits nothing: the next group commit
   * writes the moved pages with the writes it covers, so a small budget keeps that commit short.
   */
  private static final long HOUSEKEEPING_MS = 250;
  private static final int TARGET_FILL_RATE = 75;
  private static final int COMPACT_WRITE_BYTES = 1024 * 1024;

  /** The threads that apply {@link #submit}ted commands: applying is CPU work, and nothing waits on them. */
  public static final String WRITERS = "embedded-store-writes";
  static final int WRITER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  /**
   * The backend keeps per-connection state (last errors) in plain lists: one channel per thread, each with its own
   * id (an {@code EmbeddedChannel}'s default id is one shared constant, which put every channel in one bucket of the
   * backend's map of connections).
   */
  static final ThreadLocal<Channel> CHANNEL =
      ThreadLocal.withInitial(() -> new EmbeddedChannel(DefaultChannelId.newInstance()));

  private static final Set<String> WRITES = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    WRITES.addAll(Set.of("insert", "update", "delete", "findAndModify", "createIndexes", "dropIndexes", "drop",
        "dropDatabase", "create", "renameCollection", "collMod"));
  }

  /** Created on first use: the superclass constructor opens existing databases before this class's fields are set. */
  private ScanLog scans;
  private final GroupCommit groupCommit;
  private final java.util.concurrent.atomic.AtomicLong durableWrites = new java.util.concurrent.atomic.AtomicLong();
  private final ScheduledExecutorService housekeeping;
  private final ExecutorService writers;
  private volatile SlowCommandLog slowCommands =
      new SlowCommandLog(SlowCommandLog.DEFAULT_THRESHOLD_MS);

  /**
   * The maps of the store being constructed: the superclass constructor opens existing databases before this class's
   * fields are set.
   */
  private static final ThreadLocal<LoggedMaps> OPENING = new ThreadLocal<>();

  private final LoggedMaps maps;
  private final RedoLog redo;

  private DurableH2Backend(MVStore store, RedoLog redo) {
    super(store);
    this.maps = OPENING.get();
    this.redo = redo;
    this.groupCommit = redo != null ? new GroupCommit(store, redo) : null;
    AtomicInteger writerThreads = new AtomicInteger();
    this.writers = Executors.newFixedThreadPool(WRITER_THREADS, runnable -> {
      Thread thread = new Thread(runnable, WRITERS + "-" + writerThreads.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    });
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "embedded-store-housekeeping");
      thread.setDaemon(true);
      return thread;
    });
    if (groupCommit != null) {
      // Every commit is synced, so a chunk that no longer holds live pages can be reused at once; H2's default
      // retention (45 s) exists for stores that do not sync and, at thousands of commits a second, keeps gigabytes.
      store.setRetentionTime(0);
      housekeeping.scheduleWithFixedDelay(this::compact, HOUSEKEEPING_MS, HOUSEKEEPING_MS, TimeUnit.MILLISECONDS);
      housekeeping.scheduleWithFixedDelay(this::commitStaged, HOUSEKEEPING_MS, HOUSEKEEPING_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * H2's default page cache, in MB of its estimate ({@link BsonDocumentType#getMemory} counts a document at well
   * under its heap size, so the cache holds more than this). At 4 MB sends cost about 12 % less CPU on a small store
   * (fewer cached documents reach the old generation and die there), but at 100,000 messages every hot operation was
   * 2-29 % slower (more page reads); docs/performance.md.
   */
  public static final int DEFAULT_CACHE_MB = 16;

  /** Opens (or creates) the store file with durable acknowledgements. Blocking. */
  public static DurableH2Backend open(Path file) {
    return open(file, true, DEFAULT_CACHE_MB);
  }

  /**
   * Opens the store file with a page cache of {@code cacheMb} (H2's estimate). With {@code durable} false, writes are
   * acknowledged before they are committed and H2 commits in the background about once a second, as upstream does: a
   * crash then loses the last second or so of acknowledged writes, and may keep a document without its index
   * entries. Only for measuring what durability costs.
   */
  public static DurableH2Backend open(Path file, boolean durable, int cacheMb) {
    MVStore.Builder builder = new MVStore.Builder().fileName(file.toString()).cacheSize(cacheMb);
    // autoCommitDisabled() alone stops H2's commit thread but not its other auto-commit: a write that finds more than
    // 19 MB unsaved commits then and there, from whatever thread, in the middle of other commands. A buffer size of 0
    // turns that off too, so that only the group commit, under its exclusive lock, ever commits.
    if (!durable) {
      return construct(builder.open(), null);
    }
    MVStore store = builder.autoCommitDisabled().autoCommitBufferSize(0).open();
    RedoLog redo = null;
    DurableH2Backend backend = null;
    try {
      redo = RedoLog.open(store, file);
      // What opening changes (indexes rebuilt for an older file) is held by a checkpoint before the first write,
      // not by the log
      redo.unloggedUntilCheckpoint();
      backend = construct(store, redo);
      redo.recordFromNowOn();
      GroupCommit.join(backend.groupCommit.checkpointed());
      return backend;
    } catch (RuntimeException e) {
      // a start-up that failed leaves the files as they were, for the next attempt to replay, and no thread behind
      if (backend != null) {
        backend.abandon();
      }
      if (redo != null) {
        redo.close();
      }
      store.closeImmediately();
      throw e;
    }
  }

  private static DurableH2Backend construct(MVStore store, RedoLog redo) {
    OPENING.set(new LoggedMaps(store, redo));
    try {
      return new DurableH2Backend(store, redo);
    } finally {
      OPENING.remove();
    }
  }

  /** The page cache's size in MB, as configured (H2's estimate). */
  public int cacheSizeMb() {
    return getMvStore().getCacheSize();
  }

  /** A store in memory (tests, trials): the same indexes; nothing to make durable. */
  public static DurableH2Backend inMemory() {
    return construct(new MVStore.Builder().autoCommitDisabled().open(), null);
  }

  /** Whether acknowledged writes are on disk. */
  public boolean durable() {
    return groupCommit != null;
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new OrderedH2Database(databaseName, maps != null ? maps : OPENING.get(), getCursorRegistry(), scanLog());
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    return groupCommitted(command) ? GroupCommit.join(applyWrite(channel, databaseName, command, query))
        : run(channel, databaseName, command, query);
  }

  /** Runs the command now, on this thread; one slower than the threshold is logged ({@link SlowCommandLog}). */
  private Document run(Channel channel, String databaseName, String command, Document query) {
    long start = System.nanoTime();
    Document reply = super.handleCommand(channel, databaseName, command, query);
    slowCommands.record(databaseName, command, query, reply, System.nanoTime() - start);
    return reply;
  }

  /** Logs commands slower than {@code thresholdMs} from now on (0 or less: none). */
  public void logSlowCommands(long thresholdMs) {
    logSlowCommands(new SlowCommandLog(thresholdMs));
  }

  void logSlowCommands(SlowCommandLog log) {
    slowCommands = log;
  }

  /** Commands slower than the threshold so far. */
  public long slowCommands() {
    return slowCommands.count();
  }

  /** Whether the command's answer waits for (or, staged, is held by) a group commit: a write on a durable file. */
  private boolean groupCommitted(String command) {
    return groupCommit != null && WRITES.contains(command);
  }

  /**
   * Runs a command on the store's own threads and answers when it may be acknowledged: a read or a staged write once
   * applied, a durable write once synced. No thread waits for the sync, so a few threads serve any number of
   * writes sharing a commit; {@link InProcessMongoClient} sends its writes here. Failures are the backend's
   * exceptions, as {@link #handleCommand} throws them.
   */
  public CompletableFuture<Document> submit(String databaseName, String command, Document query) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        Channel channel = CHANNEL.get();
        return groupCommitted(command) ? applyWrite(channel, databaseName, command, query)
            : CompletableFuture.completedFuture(run(channel, databaseName, command, query));
      }, writers).thenCompose(answer -> answer);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("The embedded store is closed"));
    }
  }

  /**
   * Completes once every write applied before this call is durable, without a write of its own: what a durable write
   * waits for, minus the write (the services' barrier after staged writes, {@code MongoClients.barrier}). At once
   * where nothing is made durable (no file).
   */
  public CompletableFuture<Void> barrier() {
    return groupCommit == null ? CompletableFuture.completedFuture(null) : groupCommit.durable();
  }

  /**
   * Whether a {@code createIndexes} would build an index over stored documents: not for indexes that exist (what
   * every service asks at start) or a collection without documents, which need no checkpoint of their own. Under
   * the shared apply lock, as resolving the database may create it.
   */
  private boolean buildsOverDocuments(String databaseName, Document query) {
    if (!(query.get("createIndexes") instanceof String name) || !(query.get("indexes") instanceof List<?> wanted)) {
      return true; // whatever it is, the unlogged path is the safe one
    }
    MongoCollection<?> collection = resolveDatabase(databaseName).resolveCollection(name, false);
    if (collection == null || collection.count() == 0) {
      return false;
    }
    Set<String> existing = new TreeSet<>();
    collection.getIndexes().forEach(index -> existing.add(index.getName()));
    return wanted.stream().anyMatch(index -> !(index instanceof Document description
        && existing.contains(String.valueOf(description.get("name")))));
  }

  /** Applies a write now; the answer completes at once when it is staged, after its group commit otherwise. */
  private CompletableFuture<Document> applyWrite(Channel channel, String databaseName, String command,
                                                 Document query) {
    // an index built over a collection's documents would be a log batch of one record per document: the next
    // checkpoint holds it instead (GroupCommit.applyUnlogged)
    if ("createIndexes".equalsIgnoreCase(command)
        && groupCommit.apply(() -> buildsOverDocuments(databaseName, query))) {
      durableWrites.incrementAndGet();
      return groupCommit.applyUnlogged(() -> run(channel, databaseName, command, query));
    }
    Document reply = groupCommit.apply(() -> run(channel, databaseName, command, query));
    if (staged(query)) {
      groupCommit.staged();
      return CompletableFuture.completedFuture(reply);
    }
    durableWrites.incrementAndGet();
    return groupCommit.durable().thenApply(synced -> reply);
  }

  /**
   * A write sent with {@code writeConcern: {j: false}} is acknowledged once applied, as MongoDB does: it becomes
   * durable with the next durable write (every commit holds all writes applied before it) or the next periodic
   * commit ({@link #HOUSEKEEPING_MS}). Without a write concern, or with any other, a write is acknowledged durable.
   */
  static boolean staged(Document command) {
    return command.get("writeConcern") instanceof Document concern && Boolean.FALSE.equals(concern.get("j"));
  }

  /** Queries that read a whole collection for want of an index, per collection. */
  public synchronized ScanLog scanLog() {
    if (scans == null) {
      scans = new ScanLog();
    }
    return scans;
  }

  /** Writes acknowledged before they were durable ({@code j: false}), so far. */
  public long stagedWrites() {
    return groupCommit == null ? 0 : groupCommit.stagedWrites();
  }

  /** Writes acknowledged so far, and the file syncs they needed (group commit shares one among several). */
  public long durableWrites() {
    return durableWrites.get();
  }

  public long fileSyncs() {
    return groupCommit == null ? 0 : groupCommit.commits();
  }

  /** Index builds so far that a checkpoint held instead of the log. */
  long unloggedWrites() {
    return groupCommit == null ? 0 : groupCommit.unloggedWrites();
  }

  /** Checkpoints so far (the store itself committed, about once a second under writes). */
  public long checkpoints() {
    return groupCommit == null ? 0 : groupCommit.checkpoints();
  }

  /** Seconds the checkpoints so far kept writers waiting, and the longest one wait. */
  public double checkpointLockSeconds() {
    return groupCommit == null ? 0 : groupCommit.checkpointLockNanos() / 1e9;
  }

  public double longestCheckpointLockSeconds() {
    return groupCommit == null ? 0 : groupCommit.longestCheckpointLockNanos() / 1e9;
  }

  /** Staged writes that no durable write followed are made durable here, within {@link #HOUSEKEEPING_MS}. */
  private void commitStaged() {
    try {
      if (groupCommit.hasStaged() && !getMvStore().isClosed()) {
        groupCommit.awaitDurable();
      }
    } catch (RuntimeException e) {
      log.warn("Committing staged writes failed; it will be retried: {}", e.toString());
    }
  }

  private void compact() {
    try {
      MVStore store = getMvStore();
      if (!store.isClosed() && store.getFileStore().getChunksFillRate() < TARGET_FILL_RATE) {
        store.compact(TARGET_FILL_RATE, COMPACT_WRITE_BYTES);
      }
    } catch (RuntimeException e) {
      log.warn("Compacting the embedded store failed; it will be retried: {}", e.toString());
    }
  }

  /** The file's size and how much of its chunks is live data (percent), for health reports and benchmarks. */
  public String fileReport() {
    MVStore store = getMvStore();
    return store.getFileStore() == null ? "in memory"
        : store.getFileStore().size() / (1024 * 1024) + " MB, chunks " + store.getFileStore().getChunksFillRate()
            + " % live";
  }

  /** Stops this backend's threads without a closing commit (a start-up that failed); the caller closes the files. */
  private void abandon() {
    housekeeping.shutdown();
    writers.shutdown();
    groupCommit.abandon();
  }

  /** Answers the writes in progress, then commits, syncs and closes the file (blocking). */
  @Override
  public void close() {
    // Never interrupt a compaction or a commit: an interrupted thread's file I/O closes H2's FileChannel, and the
    // store panics.
    housekeeping.shutdown();
    writers.shutdown();
    try {
      if (!housekeeping.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Compaction still running after 30 s; closing the store anyway");
      }
      if (!writers.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Writes still being applied after 30 s; closing the store anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (groupCommit != null) {
      groupCommit.close();
    }
    super.close();
    if (redo != null) {
      redo.close();
    }
  }
}
