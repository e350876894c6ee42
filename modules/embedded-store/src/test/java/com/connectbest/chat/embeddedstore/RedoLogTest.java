package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log below the backend: batches, checkpoints that switch files, and what recovery does with torn,
 * missing and stale batches. A "crash" is a copy of the store and its log files taken while they are open (what a
 * killed process leaves: every write() it made, nothing more), reopened as a new store.
 */
class RedoLogTest {

  @TempDir
  Path dir;

  private MVStore store;
  private RedoLog redo;
  private GroupCommit commits;
  private LoggedMaps maps;

  private void open(Path file) {
    store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().autoCommitBufferSize(0).open();
    redo = RedoLog.open(store, file);
    maps = new LoggedMaps(store, redo);
    commits = new GroupCommit(store, redo, Long.MAX_VALUE);
  }

  @AfterEach
  void close() {
    if (commits != null) {
      commits.close();
      store.close();
      redo.close();
    }
  }

  /** One command: applied as a writer applies one, then acknowledged once durable. */
  private void write(Consumer<LoggedMaps> change) {
    commits.apply(() -> {
      change.accept(maps);
      return null;
    });
    GroupCommit.join(commits.durable());
  }

  private static Path crash(Path file, Path copy) throws Exception {
    return DurableWritesTest.copyStore(file, copy);
  }

  /** A change made to a log file on disk, as a crash or a bad disk would leave it. */
  private interface LogDamage {
    void apply(FileChannel channel) throws Exception;
  }

  /** A crash image of the store whose first log file is then damaged. */
  private Path crashWithFirstLogFile(Path file, LogDamage damage) throws Exception {
    Path image = crash(file, dir.resolve("image-" + file.getFileName()));
    try (FileChannel channel = FileChannel.open(RedoLog.files(image)[0], StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      damage.apply(channel);
    }
    return image;
  }

  /** Opens a crash image as a new process would, and reads one map of it. */
  private static Map<String, Object> reopen(Path image, String mapName) {
    MVStore reopened = new MVStore.Builder().fileName(image.toString()).autoCommitDisabled()
        .autoCommitBufferSize(0).open();
    try (RedoLog log = RedoLog.open(reopened, image)) {
      LoggedMaps replayed = new LoggedMaps(reopened, log);
      if (!reopened.hasMap(mapName)) {
        return null;
      }
      MVMap<String, Object> map = replayed.open(mapName);
      return new HashMap<>(map);
    } finally {
      reopened.closeImmediately();
    }
  }

  private static final String MAP = "meta.test.things";

  @Test
  @DisplayName("Acknowledged puts and removes come back from the log alone, without any checkpoint")
  void replaysFromTheLogAlone() throws Exception {
    Path file = dir.resolve("a.mv.db");
    open(file);
    Random random = new Random(7);
    Map<String, Object> expected = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      String key = "k" + random.nextInt(60);
      if (random.nextInt(4) == 0) {
        write(m -> m.open(MAP).remove(key));
        expected.remove(key);
      } else {
        String value = "v" + i;
        write(m -> m.<String, Object>open(MAP).put(key, value));
        expected.put(key, value);
      }
    }
    assertEquals(0, commits.checkpoints());
    assertEquals(expected, reopen(crash(file, dir.resolve("a-image.mv.db")), MAP));
  }

  @Test
  @DisplayName("A torn last batch is dropped whole, with every command in it, and the batches before it are replayed")
  void aTornLastBatchIsDroppedWhole() throws Exception {
    Path file = dir.resolve("t.mv.db");
    open(file);
    write(m -> m.<String, Object>open(MAP).put("first", 1));
    // one command of three puts: after the tear, none of them may be there
    write(m -> {
      MVMap<String, Object> map = m.open(MAP);
      map.put("a", 1);
      map.put("b", 2);
      map.put("c", 3);
    });
    Path image = crashWithFirstLogFile(file, channel -> channel.truncate(channel.size() - 3));
    assertEquals(Map.of("first", 1), reopen(image, MAP));
  }

  @Test
  @DisplayName("Nothing after a damaged batch is replayed, though later batches are intact")
  void nothingAfterADamagedBatchIsReplayed() throws Exception {
    Path file = dir.resolve("g.mv.db");
    open(file);
    write(m -> m.<String, Object>open(MAP).put("one", 1));
    long afterOne = Files.size(RedoLog.files(file)[0]);
    write(m -> m.<String, Object>open(MAP).put("two", 2));
    write(m -> m.<String, Object>open(MAP).put("three", 3));
    Path image = crashWithFirstLogFile(file, channel -> {
      ByteBuffer last = ByteBuffer.allocate(1);
      long at = afterOne + 24; // inside the second batch's records
      channel.read(last, at);
      channel.write(ByteBuffer.wrap(new byte[] {(byte) (last.get(0) ^ 0x5a)}), at);
    });
    assertEquals(Map.of("one", 1), reopen(image, MAP));
  }

  @Test
  @DisplayName("Across checkpoints the log switches files, and stale batches left in a reused file are never replayed")
  void staleBatchesInAReusedFileAreNotReplayed() throws Exception {
    Path file = dir.resolve("s.mv.db");
    open(file);
    // file 0: many batches that set every key to "old"
    for (int i = 0; i < 50; i++) {
      int n = i;
      write(m -> m.<String, Object>open(MAP).put("k" + n, "old"));
    }
    write(m -> m.<String, Object>open(MAP).put("gone", "old"));
    GroupCommit.join(commits.checkpointed());
    // file 1: the keys change
    for (int i = 0; i < 50; i++) {
      int n = i;
      write(m -> m.<String, Object>open(MAP).put("k" + n, "new"));
    }
    write(m -> m.open(MAP).remove("gone"));
    GroupCommit.join(commits.checkpointed());
    // file 0 again, from its start: one short batch, then the stale ones from before
    write(m -> m.<String, Object>open(MAP).put("last", "new"));
    assertEquals(2, commits.checkpoints());
    assertTrue(Files.size(RedoLog.files(file)[0]) > 1000, "the reused file should still hold stale batches");

    Map<String, Object> found = reopen(crash(file, dir.resolve("s-image.mv.db")), MAP);
    for (int i = 0; i < 50; i++) {
      assertEquals("new", found.get("k" + i), "k" + i);
    }
    assertFalse(found.containsKey("gone"));
    assertEquals("new", found.get("last"));
  }

  @Test
  @DisplayName("Removing, recreating and renaming maps is replayed in order with their entries")
  void mapRemovalAndRenamingAreReplayed() throws Exception {
    Path file = dir.resolve("m.mv.db");
    open(file);
    String other = "meta.test.other";
    String renamed = "meta.test.renamed";
    write(m -> m.<String, Object>open(MAP).put("before", 1));
    write(m -> m.remove(MAP));
    write(m -> m.<String, Object>open(MAP).put("after", 2));
    write(m -> m.<String, Object>open(other).put("x", 3));
    write(m -> m.rename(other, renamed));
    write(m -> m.<String, Object>open(renamed).put("y", 4));
    Path image = crash(file, dir.resolve("m-image.mv.db"));
    assertEquals(Map.of("after", 2), reopen(image, MAP));
    assertNull(reopen(image, other));
    assertEquals(Map.of("x", 3, "y", 4), reopen(image, renamed));
  }

  @Test
  @DisplayName("A clean close checkpoints: the next open finds the store complete and both log files empty")
  void aCleanCloseLeavesNothingToReplay() throws Exception {
    Path file = dir.resolve("c.mv.db");
    open(file);
    write(m -> m.<String, Object>open(MAP).put("kept", 1));
    commits.close();
    store.close();
    redo.close();
    commits = null;
    for (Path log : RedoLog.files(file)) {
      Files.write(log, new byte[4096]); // nothing a replay could use: the checkpoint must hold it all
    }
    assertEquals(Map.of("kept", 1), reopen(file, MAP));
    for (Path log : RedoLog.files(file)) {
      assertEquals(0, Files.size(log));
    }
  }

  @Test
  @DisplayName("A batch that passes its checksum but cannot be replayed stops the start-up, and leaves the log files "
      + "as they were and not held open")
  void anUnreplayableBatchFailsTheStartUpWithoutHoldingTheFiles() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "open files are counted through /proc");
    Path file = dir.resolve("u.mv.db");
    byte[] records = {99, 1, (byte) 'x'}; // a record type this version does not know (a newer one's), on map "x"
    ByteBuffer batch = ByteBuffer.allocate(RedoLog.HEADER + records.length).putInt(RedoLog.MAGIC).putLong(1)
        .putInt(records.length).putInt(RedoLog.crc(1, records, records.length)).put(records).flip();
    Path log = RedoLog.files(file)[0];
    Files.write(log, batch.array());
    MVStore opened = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().autoCommitBufferSize(0)
        .open();
    try {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RedoLog.open(opened, file));
      assertTrue(refused.getMessage().contains("Unknown record 99"), refused.getMessage());
    } finally {
      opened.closeImmediately();
    }
    assertArrayEquals(batch.array(), Files.readAllBytes(log));
    assertEquals(0, openDescriptorsOf(RedoLog.files(file)));
  }

  @Test
  @DisplayName("A group commit abandoned by a failed start-up stops its thread and commits nothing more: what it "
      + "acknowledged comes back from the log")
  void anAbandonedGroupCommitStopsWithoutACheckpoint() throws Exception {
    Path file = dir.resolve("g.mv.db");
    open(file);
    write(m -> m.<String, Object>open(MAP).put("acknowledged", 1));
    commits.abandon();
    assertFalse(commits.committing());
    assertEquals(0, commits.checkpoints());
    assertEquals(Map.of("acknowledged", 1), reopen(crash(file, dir.resolve("g-image.mv.db")), MAP));
  }

  @Test
  @DisplayName("Each checkpoint counts the time it held the writers back, and the longest such hold is kept")
  void checkpointsAreTimed() {
    open(dir.resolve("t.mv.db"));
    assertEquals(0, commits.checkpointLockNanos());
    for (int i = 0; i < 3; i++) {
      int value = i;
      write(m -> m.<String, Object>open(MAP).put("k" + value, value));
      GroupCommit.join(commits.checkpointed());
    }
    assertEquals(3, commits.checkpoints());
    assertTrue(commits.longestCheckpointLockNanos() > 0);
    assertTrue(commits.checkpointLockNanos() >= commits.longestCheckpointLockNanos());
  }

  /** How many of this process's open file descriptors point at one of the paths (Linux). */
  private static long openDescriptorsOf(Path... paths) throws Exception {
    java.util.Set<Path> wanted = java.util.Arrays.stream(paths).map(Path::toAbsolutePath).collect(
        java.util.stream.Collectors.toSet());
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return wanted.contains(Files.readSymbolicLink(fd));
        } catch (Exception gone) {
          return false; // closed meanwhile, or the directory's own descriptor
        }
      }).count();
    }
  }
}
