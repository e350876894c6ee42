package com.connectbest.chat.embeddedstore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVStore;

/**
 * Makes applied writes durable before they are acknowledged, sharing one log write and one {@code fsync} among all
 * the writes that arrive while the previous one runs (group commit), and commits the store itself now and then
 * (checkpoints).
 *
 * <p>A writer applies its change under the shared side of {@link #applying} (its records go to the {@link RedoLog}
 * as it changes the maps), then takes a ticket and is answered ({@link #durable()}) once a batch taken after its
 * ticket has been synced. One thread, the committer, does every flush, back to back while tickets wait: it takes the
 * exclusive side (so no command is half-applied: a document and its index entries are always in the same batch),
 * takes the records so far as a batch, releases the lock, and appends and syncs the batch while the next writers
 * apply. Every {@link #CHECKPOINT_NANOS} (and on request) the flush is a checkpoint: under the exclusive lock the
 * store commits, writing each page changed since the last checkpoint once, and the log starts its other file.
 * Nothing else commits: the store is opened with auto-commit off, so a crash can never persist a torn command either.
 *
 * <p>Waiting writers hold no thread: an earlier design had each writer's thread wait for its commit, which took a
 * pool of 128 threads to let as many writes share a sync, and parking and waking them cost a tenth of a send's CPU.
 */
final class GroupCommit implements AutoCloseable {

  /**
   * How often the store itself commits. Each checkpoint writes every page changed since the last one (a commit per
   * group rewrote the same last leaves 800 times a second under sends) and holds the exclusive lock while it
   * serializes them; recovery replays at most this much of the log. A second bounds both.
   */
  static final long CHECKPOINT_NANOS = 1_000_000_000L;

  private final MVStore store;
  private final RedoLog redo;
  private final ReadWriteLock applying = new ReentrantReadWriteLock();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final AtomicLong tickets = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong checkpoints = new AtomicLong();
  private final AtomicLong unloggedWrites = new AtomicLong();
  /** Time the checkpoints held the exclusive lock, i.e. kept every writer waiting (what a write's tail pays). */
  private final AtomicLong checkpointLockNanos = new AtomicLong();
  private volatile long longestCheckpointLockNanos;
  private final AtomicLong staged = new AtomicLong();
  /** The staged-write count the last commit covered. */
  private volatile long stagedCovered;
  /** Guarded by {@link #lock}. */
  private final List<Waiter> waiters = new ArrayList<>();
  private long durable;
  private boolean closed;
  /** A log write or sync that failed: later batches could not follow it, so nothing more is acknowledged. */
  private volatile RuntimeException broken;
  private long lastCheckpoint = System.nanoTime();
  private final Thread committer;

  private record Waiter(long ticket, CompletableFuture<Void> done, boolean checkpoint, Runnable unlogged) {
  }

  private final long checkpointNanos;

  GroupCommit(MVStore store, RedoLog redo) {
    this(store, redo, CHECKPOINT_NANOS);
  }

  /** With checkpoints every {@code checkpointNanos} (tests: {@link Long#MAX_VALUE}, only on request). */
  GroupCommit(MVStore store, RedoLog redo, long checkpointNanos) {
    this.store = store;
    this.redo = redo;
    this.checkpointNanos = checkpointNanos;
    this.committer = new Thread(this::commitWhileWaited, "embedded-store-commit");
    committer.setDaemon(true);
    committer.start();
  }

  /** Runs a write so that no commit captures it half-done. */
  <T> T apply(java.util.function.Supplier<T> write) {
    applying.readLock().lock();
    try {
      return write.get();
    } finally {
      applying.readLock().unlock();
    }
  }

  /** A write was applied and acknowledged without waiting: a later commit will hold it. */
  void staged() {
    staged.incrementAndGet();
  }

  /** Whether a staged write was applied after the last commit started. */
  boolean hasStaged() {
    return staged.get() != stagedCovered;
  }

  long stagedWrites() {
    return staged.get();
  }

  /**
   * Completes (on the committer's thread) once every write applied before this call is on disk, or fails with the
   * commit's error; fails at once after {@link #close}.
   */
  CompletableFuture<Void> durable() {
    return await(false);
  }

  /** As {@link #durable()}, and the store itself committed (a checkpoint) after this call. */
  CompletableFuture<Void> checkpointed() {
    return await(true);
  }

  /**
   * Runs {@code write} on the committer, under the exclusive lock and without logging what it changes, then
   * checkpoints before the lock is released: for a command that writes as much as a whole collection (an index
   * built over existing documents), which logged would be one batch that size, in memory and then in the log. No
   * other write runs meanwhile, so the checkpoint holds it whole, and a crash before that checkpoint leaves no trace
   * of it (the service asks for the index again at its next start). Completes with the write's result once synced.
   */
  <T> CompletableFuture<T> applyUnlogged(java.util.function.Supplier<T> write) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task = () -> {
      try {
        result.complete(write.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    };
    return await(true, task).thenCompose(synced -> result);
  }

  private CompletableFuture<Void> await(boolean checkpoint) {
    return await(checkpoint, null);
  }

  private CompletableFuture<Void> await(boolean checkpoint, Runnable unlogged) {
    long ticket = tickets.incrementAndGet();
    lock.lock();
    try {
      if (broken != null) {
        return CompletableFuture.failedFuture(broken);
      }
      // A batch taken between this ticket and this lock already holds the caller's writes: answered at once
      if (durable >= ticket && !checkpoint) {
        return CompletableFuture.completedFuture(null);
      }
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("The embedded store is closed"));
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiters.add(new Waiter(ticket, done, checkpoint, unlogged));
      waiting.signal();
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** Returns once every write applied before this call is on disk; throws if the store cannot write. Blocking. */
  void awaitDurable() {
    join(durable());
  }

  /** The future's value, its failure rethrown as it was raised (not wrapped). Blocking. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void commitWhileWaited() {
    while (true) {
      long covered;
      boolean checkpoint;
      List<Runnable> unlogged;
      lock.lock();
      try {
        while (waiters.isEmpty() && !closed) {
          waiting.awaitUninterruptibly();
        }
        if (waiters.isEmpty()) {
          return;
        }
        // Every ticket up to here belongs to a write applied before the flush below starts.
        covered = tickets.get();
        checkpoint = waiters.stream().anyMatch(Waiter::checkpoint);
        unlogged = waiters.stream().map(Waiter::unlogged).filter(java.util.Objects::nonNull).toList();
      } finally {
        lock.unlock();
      }
      RuntimeException failure = broken;
      if (failure == null) {
        try {
          flush(checkpoint || System.nanoTime() - lastCheckpoint >= checkpointNanos, unlogged);
        } catch (RuntimeException e) {
          failure = e;
          broken = e;
        }
      }
      List<Waiter> answered = new ArrayList<>();
      lock.lock();
      try {
        if (failure == null) {
          durable = Math.max(durable, covered);
        }
        waiters.removeIf(waiter -> waiter.ticket() <= covered && answered.add(waiter));
      } finally {
        lock.unlock();
      }
      for (Waiter waiter : answered) {
        if (failure == null) {
          waiter.done().complete(null);
        } else {
          waiter.done().completeExceptionally(failure);
        }
      }
    }
  }

  /**
   * Takes the records applied so far as a batch and makes them durable: appended to the log and synced, or, for a
   * checkpoint, held by a commit of the store, whose sync follows the sync of the log file it leaves (that file holds
   * every batch since the previous checkpoint, so they are durable whichever way a crash falls).
   */
  private void flush(boolean checkpoint) {
    flush(checkpoint, List.of());
  }

  /** As {@link #flush(boolean)}; {@code unlogged} writes (a checkpoint follows them) run after the batch is taken. */
  private void flush(boolean checkpoint, List<Runnable> unlogged) {
    RedoLog.Batch batch;
    int left = -1;
    applying.writeLock().lock();
    long locked = System.nanoTime();
    try {
      stagedCovered = staged.get();
      batch = redo.take();
      if (checkpoint) {
        if (batch != null) {
          redo.write(batch);
        }
        if (!unlogged.isEmpty()) {
          redo.unloggedUntilCheckpoint();
          try {
            unlogged.forEach(Runnable::run);
          } finally {
            redo.recordFromNowOn();
            unloggedWrites.addAndGet(unlogged.size());
          }
        }
        left = redo.checkpoint();
        store.commit();
      }
    } finally {
      applying.writeLock().unlock();
      if (checkpoint) {
        long held = System.nanoTime() - locked;
        checkpointLockNanos.addAndGet(held);
        longestCheckpointLockNanos = Math.max(longestCheckpointLockNanos, held);
      }
    }
    if (checkpoint) {
      redo.syncLeft(left);
      store.sync();
      lastCheckpoint = System.nanoTime();
      checkpoints.incrementAndGet();
      commits.incrementAndGet();
    } else if (batch != null) {
      redo.write(batch);
      redo.sync();
      commits.incrementAndGet();
    }
  }

  /** Checkpoints so far. */
  long checkpoints() {
    return checkpoints.get();
  }

  /** Writes run without logging so far ({@link #applyUnlogged}), each held by its checkpoint. */
  long unloggedWrites() {
    return unloggedWrites.get();
  }

  /** Nanoseconds the checkpoints so far held every writer back (the store's commit under the exclusive lock). */
  long checkpointLockNanos() {
    return checkpointLockNanos.get();
  }

  /** The longest such hold so far. */
  long longestCheckpointLockNanos() {
    return longestCheckpointLockNanos;
  }

  /** File syncs so far (log flushes and checkpoints): fewer than the durable writes when they shared them. */
  long commits() {
    return commits.get();
  }

  /** Answers the writes still waiting (their flush runs), stops the committer, then checkpoints. Blocking. */
  @Override
  public void close() {
    stopCommitter();
    // The committer is gone: a last checkpoint on this thread leaves nothing for the log to replay.
    if (broken == null && !store.isClosed()) {
      flush(true);
    }
  }

  /**
   * Stops the committer after the writes still waiting, without the closing checkpoint: for a start-up that failed,
   * which must leave the store and its log as they were for the next attempt. Blocking.
   */
  void abandon() {
    stopCommitter();
  }

  private void stopCommitter() {
    lock.lock();
    try {
      closed = true;
      waiting.signal();
    } finally {
      lock.unlock();
    }
    // Never interrupt it: an interrupted thread's file I/O closes H2's FileChannel.
    boolean interrupted = false;
    while (committer.isAlive()) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the committing thread still runs (tests). */
  boolean committing() {
    return committer.isAlive();
  }
}
