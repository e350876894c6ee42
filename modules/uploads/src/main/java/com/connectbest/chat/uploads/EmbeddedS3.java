package com.connectbest.chat.uploads;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (s3proxy over the jclouds {@code filesystem} provider) on 127.0.0.1, for a node with no
 * bucket configured. It is reached through the same S3 client as real storage, with credentials made at start.
 * Blocking: start and stop it off the event loop.
 */
final class EmbeddedS3 implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, URI endpoint, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  static EmbeddedS3 start(String directory, int port, String region) throws Exception {
    Path base = Path.of(directory).toAbsolutePath();
    Files.createDirectories(base);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", base.toString());
    // without a region, CreateBucket with a location constraint fails (InvalidLocationConstraint)
    properties.setProperty("jclouds.regions", region);
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
        .build(BlobStoreContext.class);
    SecureRandom random = new SecureRandom();
    byte[] access = new byte[8];
    byte[] secret = new byte[24];
    random.nextBytes(access);
    random.nextBytes(secret);
    String accessKey = "local-" + HexFormat.of().formatHex(access);
    String secretKey = HexFormat.of().formatHex(secret);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .build();
    try {
      proxy.start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the embedded S3 server did not start (state " + proxy.getState() + ")");
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      stopQuietly(proxy);
      context.close();
      throw e;
    }
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    LOG.info("Embedded S3 server at {} storing under {}", endpoint, base);
    return new EmbeddedS3(proxy, context, endpoint, accessKey, secretKey);
  }

  URI endpoint() {
    return endpoint;
  }

  String accessKey() {
    return accessKey;
  }

  String secretKey() {
    return secretKey;
  }

  @Override
  public void close() {
    stopQuietly(proxy);
    context.close();
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.warn("Stopping the embedded S3 server failed: {}", e.toString());
    }
  }
}
