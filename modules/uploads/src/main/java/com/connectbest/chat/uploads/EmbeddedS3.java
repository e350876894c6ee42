package com.connectbest.chat.uploads;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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

  /** Where the server listens and the credentials it accepts: what an S3 client needs to use it. */
  record Endpoint(URI endpoint, String accessKey, String secretKey) {

    JsonObject toJson() {
      return new JsonObject().put("endpoint", endpoint.toString()).put("access_key", accessKey)
          .put("secret_key", secretKey);
    }

    static Endpoint fromJson(JsonObject json) {
      return new Endpoint(URI.create(json.getString("endpoint")), json.getString("access_key"),
          json.getString("secret_key"));
    }
  }

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final Endpoint endpoint;

  private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, Endpoint endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
  }

  /**
   * Starts the server over {@code directory}. Its port (when {@code port} is 0) and credentials are kept in
   * {@code identityFile} and reused at the next start, so that the other nodes of a cluster, which found this server
   * through the cluster, still reach it after this node restarts.
   */
  static EmbeddedS3 start(String directory, int port, String region, Path identityFile) throws Exception {
    Path base = Path.of(directory).toAbsolutePath();
    Files.createDirectories(base);
    JsonObject identity = readIdentity(identityFile);
    if (identity == null) {
      SecureRandom random = new SecureRandom();
      byte[] access = new byte[8];
      byte[] secret = new byte[24];
      random.nextBytes(access);
      random.nextBytes(secret);
      identity = new JsonObject().put("access_key", "local-" + HexFormat.of().formatHex(access))
          .put("secret_key", HexFormat.of().formatHex(secret)).put("port", 0);
    }
    int previousPort = identity.getInteger("port", 0);
    EmbeddedS3 started;
    if (port == 0 && previousPort != 0) {
      try {
        started = start(base, previousPort, region, identity);
      } catch (Exception taken) {
        LOG.info("Embedded S3: port {} of the previous run is taken, choosing another", previousPort);
        started = start(base, 0, region, identity);
      }
    } else {
      started = start(base, port, region, identity);
    }
    writeIdentity(identityFile, identity.put("port", started.endpoint.endpoint().getPort()));
    return started;
  }

  private static EmbeddedS3 start(Path base, int port, String region, JsonObject identity) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", base.toString());
    // without a region, CreateBucket with a location constraint fails (InvalidLocationConstraint)
    properties.setProperty("jclouds.regions", region);
    BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
        .build(BlobStoreContext.class);
    String accessKey = identity.getString("access_key");
    String secretKey = identity.getString("secret_key");
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
    return new EmbeddedS3(proxy, context, new Endpoint(endpoint, accessKey, secretKey));
  }

  Endpoint endpoint() {
    return endpoint;
  }

  private static JsonObject readIdentity(Path file) {
    try {
      return Files.isRegularFile(file) ? new JsonObject(Files.readString(file)) : null;
    } catch (Exception e) {
      LOG.warn("Embedded S3: ignoring unreadable {}: {}", file, e.toString());
      return null;
    }
  }

  /** Owner-only permissions where the file system has them: the file holds the server's secret key. */
  private static void writeIdentity(Path file, JsonObject identity) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, identity.encode());
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
