package com.connectbest.chat.embeddedstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store's write-ahead log: every change to a map of the store ({@link LoggedMap}) is recorded here as
 * the entry it leaves (put key → value, remove key, clear, remove or rename a map), and a write is acknowledged once
 * the batch holding its records is synced to this log, not once H2 has written the changed pages.
 *
 * <p>Why: H2 is copy-on-write, so a commit rewrites every changed B-tree leaf whole (up to 48 entries) and the path
 * above it, for the data map and each index of every collection written; with a commit per group of 3-4 sends that
 * was a fifth of a send's CPU and most of its written bytes (docs/performance.md). A record is the one entry that
 * changed. The store itself is committed now and then ({@link GroupCommit}'s checkpoints), which writes each changed
 * page once for all the writes since the previous checkpoint.
 *
 * <p>Layout: two files beside the store, used in turn. Records are appended to the active file in batches
 * ({@code magic, lsn, length, crc32c, records}); batch numbers (LSNs) run on without gaps. A checkpoint notes the
 * last batch it holds in the store itself ({@link #CHECKPOINT_MAP}, in the same commit), then switches to the other
 * file and writes it again from its start: everything that file held is older than the previous checkpoint, which is
 * already synced. Recovery ({@link #open}) replays, in order, the batches after the store's checkpoint, from
 * either file, and stops at the first one missing or torn: a batch is acknowledged only after every batch before it
 * is synced, so nothing acknowledged lies beyond a gap. Stale batches further on in a file have older numbers and
 * never continue the chain.
 *
 * <p>Replaying is exact: each record is the entry's new state, and within a map records are appended in the order
 * the changes were made ({@link LoggedMap} orders them); a command's records reach the log in one batch, because a
 * batch is taken only while no command is being applied ({@link GroupCommit}), so a torn last batch loses whole
 * commands, which were not acknowledged.
 */
final class RedoLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedoLog.class);

  /**
   * A plain map of the store: {@code "lsn"} → the last batch the store's latest commit holds. Named so that no
   * database's maps can include it (a database name never holds {@code $}).
   */
  static final String CHECKPOINT_MAP = "$redo.checkpoint";
  private static final String LSN = "lsn";
  static final int MAGIC = 0x43425244;
  static final int HEADER = 4 + 8 + 4 + 4;
  private static final byte PUT = 1;
  private static final byte REMOVE = 2;
  private static final byte CLEAR = 3;
  private static final byte REMOVE_MAP = 4;
  private static final byte RENAME_MAP = 5;

  private final MVStore store;
  private final Path[] paths;
  private final FileChannel[] files = new FileChannel[2];
  private final ThreadLocal<WriteBuffer> scratch = ThreadLocal.withInitial(() -> new WriteBuffer(1024));
  /** Records not yet taken into a batch; guarded by this. */
  private byte[] pending = new byte[64 * 1024];
  private int pendingSize;
  /** The records array of the last batch written, reused for the next records (a flush runs 1,000 times a second). */
  private byte[] spare;
  /** The committer's buffer for a batch with its header. */
  private ByteBuffer out = ByteBuffer.allocate(64 * 1024);
  /** Set while changes go unrecorded ({@link #unloggedUntilCheckpoint}): a replay, and what a checkpoint holds. */
  private volatile boolean unlogged;
  /** The committer's state (one thread): the next batch's number, the active file and where the next batch goes. */
  private long nextLsn;
  private int active;
  private long position;
  private long bytesWritten;

  /** A batch of records taken from the log: what one group flush writes. */
  record Batch(long lsn, byte[] records, int length) {
  }

  private RedoLog(MVStore store, Path storeFile) {
    this.store = store;
    this.paths = files(storeFile);
  }

  /** The log files of a store file (for copies of a store, and tests). */
  static Path[] files(Path storeFile) {
    String name = storeFile.getFileName().toString();
    return new Path[] {storeFile.resolveSibling(name + ".redo-0"), storeFile.resolveSibling(name + ".redo-1")};
  }

  /**
   * Opens the log of a store just opened: replays what it holds after the store's last checkpoint, commits and syncs
   * the result, and empties both files, so that numbers start afresh after the replayed ones. Blocking.
   */
  static RedoLog open(MVStore store, Path storeFile) {
    RedoLog redo = new RedoLog(store, storeFile);
    LoggedMaps maps = new LoggedMaps(store, redo);
    try {
      for (int i = 0; i < 2; i++) {
        redo.files[i] = FileChannel.open(redo.paths[i], StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
      }
      long checkpoint = redo.checkpointed();
      TreeMap<Long, ByteBuffer> batches = new TreeMap<>();
      for (FileChannel file : redo.files) {
        readChain(file, checkpoint, batches);
      }
      long last = checkpoint;
      redo.unloggedUntilCheckpoint(); // the replayed batches are committed below, not logged again
      try {
        for (ByteBuffer batch = batches.get(last + 1); batch != null; batch = batches.get(last + 1)) {
          replay(batch, maps);
          last++;
        }
      } finally {
        redo.recordFromNowOn();
      }
      if (last > checkpoint) {
        log.info("Replayed {} batches of the write-ahead log after the store's checkpoint {}", last - checkpoint,
            checkpoint);
      }
      if (batches.higherKey(last) != null) {
        log.warn("The write-ahead log holds batches after a missing or torn batch {}; they were never acknowledged "
            + "and are dropped", last + 1);
      }
      redo.nextLsn = last + 1;
      redo.markCheckpoint(last);
      store.commit();
      store.sync();
      for (FileChannel file : redo.files) {
        file.truncate(0);
        file.force(true);
      }
      return redo;
    } catch (IOException e) {
      redo.close();
      throw new UncheckedIOException("Cannot open the write-ahead log " + redo.paths[0], e);
    } catch (RuntimeException e) {
      // a batch that cannot be replayed (or a store that cannot commit): the files stay as they are, for a fixed
      // version or a freed disk to replay, and are not held open by a start-up that has failed
      redo.close();
      throw e;
    }
  }

  private long checkpointed() {
    MVMap<String, Long> checkpoints = store.openMap(CHECKPOINT_MAP);
    Long lsn = checkpoints.get(LSN);
    return lsn == null ? 0 : lsn;
  }

  /** Notes in the store that its next commit holds every batch up to {@code lsn}. */
  private void markCheckpoint(long lsn) {
    store.<String, Long>openMap(CHECKPOINT_MAP).put(LSN, lsn);
  }

  /**
   * Reads the batches of one file, from its start while each continues the one before, keeping those after
   * {@code from}.
   */
  private static void readChain(FileChannel file, long from, TreeMap<Long, ByteBuffer> batches) throws IOException {
    long size = file.size();
    long position = 0;
    long previous = -1;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (position + HEADER <= size) {
      header.clear();
      readFully(file, header, position);
      header.flip();
      int magic = header.getInt();
      long lsn = header.getLong();
      int length = header.getInt();
      int crc = header.getInt();
      if (magic != MAGIC || length < 0 || position + HEADER + length > size || (previous >= 0 && lsn != previous + 1)) {
        return;
      }
      ByteBuffer records = ByteBuffer.allocate(length);
      readFully(file, records, position + HEADER);
      records.flip();
      if (crc != crc(lsn, records.array(), length)) {
        return;
      }
      if (lsn > from) {
        batches.put(lsn, records);
      }
      previous = lsn;
      position += HEADER + length;
    }
  }

  private static void readFully(FileChannel file, ByteBuffer target, long position) throws IOException {
    while (target.hasRemaining()) {
      if (file.read(target, position + target.position()) < 0) {
        throw new IOException("unexpected end of the write-ahead log");
      }
    }
  }

  static int crc(long lsn, byte[] records, int length) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(0, lsn));
    crc.update(records, 0, length);
    return (int) crc.getValue();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void replay(ByteBuffer records, LoggedMaps maps) {
    while (records.hasRemaining()) {
      byte op = records.get();
      String name = readName(records);
      switch (op) {
        case PUT -> {
          MVMap map = maps.open(name);
          Object key = map.getKeyType().read(records);
          map.put(key, map.getValueType().read(records));
        }
        case REMOVE -> {
          MVMap map = maps.open(name);
          map.remove(map.getKeyType().read(records));
        }
        case CLEAR -> maps.open(name).clear();
        case REMOVE_MAP -> maps.remove(name);
        case RENAME_MAP -> maps.rename(name, readName(records));
        default -> throw new IllegalStateException("Unknown record " + op + " in the write-ahead log");
      }
    }
  }

  private static String readName(ByteBuffer records) {
    return DataUtils.readString(records, DataUtils.readVarInt(records));
  }

  private static void writeName(WriteBuffer buffer, String name) {
    buffer.putVarInt(name.length()).putStringData(name, name.length());
  }

  // ---- records (any thread applying a command); none while recovery replays, which would log the log again, and
  // none for the writes a checkpoint holds instead (see unloggedUntilCheckpoint)

  /** Whether changes are being recorded now (not while recovery replays, nor while unlogged writes run). */
  boolean recording() {
    return !unlogged;
  }

  /**
   * Stops recording until {@link #recordFromNowOn}, for writes that a checkpoint holds before anything after them is
   * acknowledged, with no other write running meanwhile: recovery's replay (which would log the log again), what
   * opening a store changes (indexes rebuilt for a file of an older format) and an index built over existing
   * documents ({@link GroupCommit#applyUnlogged}). A crash before
   * that checkpoint leaves the file as it was, and the start-up or the service does it again. Logged, such a write
   * was one batch as large as the index (about 115 bytes per entry: 230 MB in memory, then in the log, for 2
   * million messages).
   */
  void unloggedUntilCheckpoint() {
    unlogged = true;
  }

  void recordFromNowOn() {
    unlogged = false;
  }

  <K, V> void put(LoggedMap<K, V> map, K key, V value) {
    if (recording()) {
      WriteBuffer buffer = record(PUT, map.logName());
      map.getKeyType().write(buffer, key);
      map.getValueType().write(buffer, value);
      append(buffer);
    }
  }

  <K, V> void remove(LoggedMap<K, V> map, K key) {
    if (recording()) {
      WriteBuffer buffer = record(REMOVE, map.logName());
      map.getKeyType().write(buffer, key);
      append(buffer);
    }
  }

  void clear(LoggedMap<?, ?> map) {
    if (recording()) {
      append(record(CLEAR, map.logName()));
    }
  }

  void removeMap(String name) {
    if (recording()) {
      append(record(REMOVE_MAP, name));
    }
  }

  void renameMap(String from, String to) {
    if (recording()) {
      WriteBuffer buffer = record(RENAME_MAP, from);
      writeName(buffer, to);
      append(buffer);
    }
  }

  private WriteBuffer record(byte op, String name) {
    WriteBuffer buffer = scratch.get().clear();
    buffer.put(op);
    writeName(buffer, name);
    return buffer;
  }

  private synchronized void append(WriteBuffer record) {
    ByteBuffer bytes = record.getBuffer();
    int length = bytes.position();
    if (pendingSize + length > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingSize + length));
    }
    bytes.flip();
    bytes.get(pending, pendingSize, length);
    pendingSize += length;
  }

  /** Bytes recorded and not yet taken into a batch. */
  synchronized int pendingBytes() {
    return pendingSize;
  }

  // ---- batches (the committer thread)

  /**
   * Takes the records so far as the next batch, or null when there are none. Called while no command is applied, so
   * a batch holds whole commands.
   */
  synchronized Batch take() {
    if (pendingSize == 0) {
      return null;
    }
    Batch batch = new Batch(nextLsn++, pending, pendingSize);
    pending = spare != null ? spare : new byte[64 * 1024];
    spare = null;
    pendingSize = 0;
    return batch;
  }

  /** Appends a batch to the active file (not synced). */
  void write(Batch batch) {
    if (out.capacity() < HEADER + batch.length()) {
      out = ByteBuffer.allocate(HEADER + batch.length());
    }
    ByteBuffer bytes = out.clear();
    bytes.putInt(MAGIC).putLong(batch.lsn()).putInt(batch.length())
        .putInt(crc(batch.lsn(), batch.records(), batch.length()));
    bytes.put(batch.records(), 0, batch.length()).flip();
    long at = position;
    try {
      while (bytes.hasRemaining()) {
        at += files[active].write(bytes, at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the write-ahead log", e);
    }
    position = at;
    bytesWritten += HEADER + batch.length();
    if (batch.records().length <= 1 << 20) {
      synchronized (this) {
        spare = batch.records();
      }
    }
  }

  /** Syncs the active file: every batch written to it is durable. */
  void sync() {
    sync(active);
  }

  private void sync(int file) {
    try {
      files[file].force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot sync the write-ahead log", e);
    }
  }

  /**
   * Part of a checkpoint, while no command is applied and before the store's commit: notes the last batch taken as
   * held by that commit and switches to the other file. Returns the file to sync before the store is synced.
   */
  int checkpoint() {
    markCheckpoint(nextLsn - 1);
    int previous = active;
    active = 1 - active;
    position = 0;
    return previous;
  }

  /**
   * After {@link #checkpoint()}: syncs the file it left, which holds batches the store's commit is not synced for
   * yet.
   */
  void syncLeft(int previous) {
    sync(previous);
  }

  long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public void close() {
    for (FileChannel file : files) {
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          log.warn("Closing the write-ahead log failed: {}", e.toString());
        }
      }
    }
  }
}
