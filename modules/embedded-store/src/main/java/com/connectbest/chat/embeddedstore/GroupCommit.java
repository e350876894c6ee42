package com.connectbest.chat.embeddedstore;

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
 * <p>A writer applies its change under the shared side of {@link #applying}, takes a ticket, and waits until a
 * commit that started after its ticket has been synced. Whoever finds no commit running becomes the leader: it
 * takes the exclusive side (so no command is half-applied: a document and its index entries are always in the same
 * version), writes the version to the file, releases the lock, and syncs while the next writers apply. Nothing else
 * commits: the store is opened with auto-commit off, so a crash can never persist a torn command either.
 */
final class GroupCommit {

  private final MVStore store;
  private final ReadWriteLock applying = new ReentrantReadWriteLock();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition synced = lock.newCondition();
  private final AtomicLong tickets = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong staged = new AtomicLong();
  /** The staged-write count the last commit covered. */
  private volatile long stagedCovered;
  private long durable;
  private boolean committing;

  GroupCommit(MVStore store) {
    this.store = store;
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

  /** Returns once every write applied before this call is on disk; throws if the store cannot write. */
  void awaitDurable() {
    long ticket = tickets.incrementAndGet();
    lock.lock();
    try {
      while (durable < ticket) {
        if (committing) {
          synced.awaitUninterruptibly();
          continue;
        }
        committing = true;
        long covered = tickets.get();
        lock.unlock();
        RuntimeException failure = null;
        try {
          commitAndSync();
        } catch (RuntimeException e) {
          failure = e;
        } finally {
          lock.lock();
          committing = false;
          if (failure == null) {
            durable = Math.max(durable, covered);
          }
          synced.signalAll();
        }
        if (failure != null) {
          throw failure;
        }
      }
    } finally {
      lock.unlock();
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
}
