package com.connectbest.chat.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to standard output from one background thread, a batch at a time. A logging thread (an event
 * loop) only queues the event: no lock, no wake-up. The writer wakes every {@code flushMillis} (at once for a warning
 * or an error), formats what came and writes it with one system call. logback's {@code AsyncAppender} in front of a
 * {@code ConsoleAppender} cost a thread wake-up and a write per line; with one access-log line per request that was
 * 8 % of a {@code GET /api/auth/me}'s CPU (docs/performance.md).
 *
 * <p>Like the {@code AsyncAppender} it replaces (with {@code neverBlock}), it never makes a logging thread wait:
 * beyond {@code queueSize} waiting lines, lines are dropped, and the writer says how many. Stopping it (the
 * application stops logback at the end of its shutdown) writes everything queued.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private static final int BATCH_BYTES = 64 * 1024;

  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8192;
  private long flushMillis = 50;
  private OutputStream out = new FileOutputStream(FileDescriptor.out);
  private volatile Thread writer;
  /** The writer thread's buffer, kept between wake-ups (20 a second, most with nothing to write). */
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH_BYTES);

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public void setFlushMillis(long flushMillis) {
    this.flushMillis = flushMillis;
  }

  /** Tests: where the lines go instead of standard output. */
  void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("No encoder set for the appender named [" + name + "].");
      return;
    }
    super.start();
    Thread thread = new Thread(this::run, "log-writer-" + name);
    thread.setDaemon(true);
    writer = thread;
    thread.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    Thread thread = writer;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (queued.get() >= queueSize) {
      dropped.incrementAndGet();
      return;
    }
    event.prepareForDeferredProcessing();
    queued.incrementAndGet();
    queue.add(event);
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      LockSupport.unpark(writer);
    }
  }

  private void run() {
    long pause = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    while (isStarted()) {
      LockSupport.parkNanos(this, pause);
      write();
    }
    write(); // what was queued before stop
  }

  private void write() {
    batch.reset();
    try {
      ILoggingEvent event;
      while ((event = queue.poll()) != null) {
        queued.decrementAndGet();
        batch.write(encoder.encode(event));
        if (batch.size() >= BATCH_BYTES) {
          batch.writeTo(out);
          batch.reset();
        }
      }
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        batch.write(("Log queue full: " + lost + " lines dropped" + System.lineSeparator())
            .getBytes(StandardCharsets.UTF_8));
      }
      if (batch.size() > 0) {
        batch.writeTo(out);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      addError("Writing log lines failed", e);
    }
  }
}
