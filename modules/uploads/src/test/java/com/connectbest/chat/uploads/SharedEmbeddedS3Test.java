package com.connectbest.chat.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SharedEmbeddedS3Test {

  @Test
  @DisplayName("a node without S3 finds the store owner's announced server, even when the owner announces later")
  void foundOnceAnnounced(Vertx vertx) {
    EmbeddedS3.Endpoint owner = new EmbeddedS3.Endpoint(URI.create("http://127.0.0.1:9123"), "local-ab", "secret");
    Future<EmbeddedS3.Endpoint> found = SharedEmbeddedS3.find(vertx, 10_000);
    SharedEmbeddedS3.announce(vertx, owner).await();
    assertEquals(owner, found.await());
  }

  @Test
  @DisplayName("with no store owner announcing a server, start fails with a message naming S3_BUCKET_NAME and S3_ENDPOINT")
  void refusedWithoutOwner(Vertx vertx) {
    Throwable error = SharedEmbeddedS3.find(vertx, 600).transform(Future::succeededFuture).await().cause();
    assertTrue(error != null && error.getMessage().contains("S3_BUCKET_NAME")
        && error.getMessage().contains("S3_ENDPOINT"), String.valueOf(error));
  }
}
