package com.connectbest.chat.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.testing.LiveThreads;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ObjectStorageTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  @DisplayName("the S3 client's I/O threads end when it closes, without the SDK's 2 s quiet period on every shutdown")
  void closesWithoutQuietPeriod() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    StorageSettings settings = new StorageSettings("bucket", StorageSettings.DEFAULT_REGION,
        URI.create("http://127.0.0.1:" + closedPort), null, false, null, 0, Path.of("unused"), 0);
    ObjectStorage storage = new ObjectStorage(vertx, settings, new EmbeddedS3.Endpoint(settings.endpoint(), "key",
        "secret"));
    // one call (refused) so that the client's I/O threads exist
    assertThrows(Exception.class, () -> storage.reachable().await());
    assertTrue(!ioThreads().isEmpty(), "the call ran on the client's I/O threads");

    long started = System.nanoTime();
    storage.close();
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    // Netty ends a group's future from its threads as they finish, a moment before they exit.
    assertEquals(List.of(), LiveThreads.afterEnding(ObjectStorageTest::isIoThread, 1_000),
        "I/O threads alive after close");
    // The SDK's own group waits a fixed 2 s quiet period before it ends; ours has none to wait.
    assertTrue(tookMs < 1_500, "close took " + tookMs + " ms");
  }

  private static List<String> ioThreads() {
    return LiveThreads.named(ObjectStorageTest::isIoThread);
  }

  private static boolean isIoThread(String name) {
    return name.startsWith("s3-io") || name.startsWith("aws-java-sdk-NettyEventLoop");
  }
}
