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
 * Makes applied writes durable before they are acknowledged, sharing one commit and one {@code fsync} among all the
 * writes that arrive while the previous one runs (group commit).
 *
 * <p>A writer applies its change under the shared side of {@link #applying}, then takes a ticket and is answered
 * ({@link #durable()}) once a commit that started after its ticket has been synced. One thread, the committer, does
 * every commit, back to back while tickets wait: it takes the exclusive side (so no command is half-applied: a
 * document and its index entries are always in the same version), writes the version to the file, releases the lock,
 * and syncs while the next writers apply. Nothing else commits: the store is opened with auto-commit off, so a crash
 * can never persist a torn command either.
 *
 * <p>Waiting writers hold no thread: an earlier design had each writer's thread wait for its commit, which took a
 * pool of 128 threads to let as many writes share a sync, and parking and waking them cost a tenth of a send's CPU.
 */
final class GroupCommit implements AutoCloseable {

  private final MVStore store;
  private final ReadWriteLock applying = new ReentrantReadWriteLock();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final AtomicLong tickets = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong staged = new AtomicLong();
  /** The staged-write count the last commit covered. */
  private volatile long stagedCovered;
  /** Guarded by {@link #lock}. */
  private final List<Waiter> waiters = new ArrayList<>();
  private long durable;
  private boolean closed;
  private final Thread committer;

  private record Waiter(long ticket, CompletableFuture<Void> done) {
  }

  GroupCommit(MVStore store) {
    this.store = store;
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
    long ticket = tickets.incrementAndGet();
    lock.lock();
    try {
      if (durable >= ticket) {
        return CompletableFuture.completedFuture(null);
      }
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("The embedded store is closed"));
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiters.add(new Waiter(ticket, done));
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
      lock.lock();
      try {
        while (waiters.isEmpty() && !closed) {
          waiting.awaitUninterruptibly();
        }
        if (waiters.isEmpty()) {
          return;
        }
        // Every ticket up to here belongs to a write applied before the commit below starts.
        covered = tickets.get();
      } finally {
        lock.unlock();
      }
      RuntimeException failure = null;
      try {
        commitAndSync();
      } catch (RuntimeException e) {
        failure = e;
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

  private void commitAndSync() {
    applying.writeLock().lock();
    try {
      stagedCovered = staged.get();
      store.commit();
    } finally {
      applying.writeLock().unlock();
    }
    store.sync();
    commits.incrementAndGet();
  }

  /** Commits (file syncs) so far: fewer than the durable writes when they shared them. */
  long commits() {
    return commits.get();
  }

  /** Answers the writes still waiting (their commit runs), then stops the committer. Blocking. */
  @Override
  public void close() {
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
}
