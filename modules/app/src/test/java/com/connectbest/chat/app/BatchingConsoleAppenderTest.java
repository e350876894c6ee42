package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BatchingConsoleAppenderTest {

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private BatchingConsoleAppender appender(int queueSize, long flushMillis) {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    BatchingConsoleAppender appender = new BatchingConsoleAppender();
    appender.setContext(context);
    appender.setName("test");
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.setFlushMillis(flushMillis);
    appender.setOutputStream(out);
    appender.start();
    Logger logger = context.getLogger("access");
    logger.setAdditive(false);
    logger.addAppender(appender);
    return appender;
  }

  private List<String> lines() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  @DisplayName("Every line logged by several threads is written once, each thread's in its order, the last at stop")
  void everyLineInOrder() throws InterruptedException {
    BatchingConsoleAppender appender = appender(100_000, 5);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread logging = new Thread(() -> {
        for (int i = 0; i < 5_000; i++) {
          context.getLogger("access").info("t{} n{}", thread, i);
        }
      });
      logging.start();
      threads.add(logging);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    appender.stop();
    List<String> lines = lines();
    assertEquals(20_000, lines.size());
    int[] next = new int[4];
    for (String line : lines) {
      String[] parts = line.split(" ");
      int thread = Integer.parseInt(parts[1].substring(1));
      assertEquals("n" + next[thread]++, parts[2], line);
    }
  }

  @Test
  @DisplayName("Beyond the queue's size lines are dropped without waiting, and the writer says how many")
  void fullQueueDropsAndSays() {
    BatchingConsoleAppender appender = appender(100, 600_000);
    for (int i = 0; i < 150; i++) {
      context.getLogger("access").info("line {}", i);
    }
    appender.stop();
    List<String> lines = lines();
    assertEquals(101, lines.size(), String.join("\n", lines));
    assertEquals("INFO line 99", lines.get(99));
    assertEquals("Log queue full: 50 lines dropped", lines.get(100));
  }

  @Test
  @DisplayName("A warning is written at once, with the lines before it, not at the next periodic flush")
  void warningsAreWrittenAtOnce() throws InterruptedException {
    BatchingConsoleAppender appender = appender(100, 600_000);
    context.getLogger("access").info("before");
    context.getLogger("access").warn("trouble");
    long deadline = System.currentTimeMillis() + 5_000;
    while (lines().size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of("INFO before", "WARN trouble"), lines());
    appender.stop();
    assertEquals(2, lines().size());
  }
}
