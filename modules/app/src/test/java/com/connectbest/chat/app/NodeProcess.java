package com.connectbest.chat.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One chat node as a separate JVM running the real fat jar, with its output in target/cluster-it/<name>.log. */
final class NodeProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "connectbest-chat.jar");
  private static final String READY = "ConnectBest Chat ready";

  private final String name;
  private final Path log;
  private final Process process;

  NodeProcess(String name, Map<String, String> env, String... args) {
    this.name = name;
    try {
      Path dir = Files.createDirectories(Path.of("target", "cluster-it"));
      log = dir.resolve(name + ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
          // the embedded store compares each reused document encoding with a fresh one (BsonDocumentType)
          "-Dconnectbest.store.checkEncodings=true", "-jar", JAR.toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      // A null value removes a variable inherited from the test's own environment (MONGODB_URI, say).
      env.forEach((key, value) -> {
        if (value == null) {
          builder.environment().remove(key);
        } else {
          builder.environment().put(key, value);
        }
      });
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node " + name, e);
    }
  }

  /** The settings that make a node a cluster member on 127.0.0.1 that joins these Hazelcast ports (TCP-IP). */
  static Map<String, String> clusterOn(int... hazelcastPorts) {
    return Map.of("CLUSTER", "true", "CLUSTER_HOST", "127.0.0.1", "CLUSTER_MEMBERS",
        java.util.Arrays.stream(hazelcastPorts).mapToObj(port -> "127.0.0.1:" + port)
            .collect(java.util.stream.Collectors.joining(",")));
  }

  /** Ports that are free and distinct: all sockets stay open until every port is chosen. */
  static int[] freePorts(int count) {
    java.net.ServerSocket[] sockets = new java.net.ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new java.net.ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      for (java.net.ServerSocket socket : sockets) {
        if (socket != null) {
          try {
            socket.close();
          } catch (IOException ignored) {
            // closing a probe socket
          }
        }
      }
    }
    return ports;
  }

  static boolean jarBuilt() {
    return Files.isRegularFile(JAR);
  }

  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("node " + name + " exited with " + process.exitValue() + ":\n" + output());
      }
      if (output().contains(READY)) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError("node " + name + " not ready within " + timeout + ":\n" + output());
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills the JVM without a shutdown (as a crash or an OOM kill would). */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Freezes the JVM (SIGSTOP), as a long GC pause, a suspended VM or a stopped container would. */
  void pause() {
    signal("STOP");
  }

  /** Lets a paused JVM run again (SIGCONT). */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Asks the JVM to stop, as an orchestrator does: SIGTERM on Linux, which runs its shutdown hook. */
  void terminate() {
    process.destroy();
  }

  /** The exit code once the JVM has exited; fails if it is still running after the timeout. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + name + " still running after " + timeout + ":\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
