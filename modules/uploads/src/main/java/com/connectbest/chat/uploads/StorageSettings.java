package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Settings;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where files go: {@code S3_BUCKET_NAME} in {@code AWS_REGION} (default us-east-1), optionally at {@code S3_ENDPOINT}
 * (MinIO and other S3-compatible servers, path-style), with credentials from the AWS default chain. Without a
 * bucket, an embedded S3-compatible server under {@code DATA_DIR/s3} on 127.0.0.1:{@code EMBEDDED_S3_PORT}.
 * {@code S3_PUBLIC_ENDPOINT} optionally replaces the endpoint in presigned URLs (a reverse proxy in front of a
 * private endpoint).
 *
 * <p>In a cluster only the node that owns the embedded store (it runs the embedded MongoDB, MONGODB_URI unset) starts
 * the embedded S3 server; the other nodes use that one (see {@link SharedEmbeddedS3}), so that every node sees every
 * file. {@code EMBEDDED_S3_WAIT_SECONDS} is how long they wait at start for it to appear.
 */
record StorageSettings(String bucket, String region, URI endpoint, URI publicEndpoint, boolean embedded,
                       String embeddedDirectory, int embeddedPort, Path embeddedIdentity, long embeddedWaitSeconds) {

  static final String DEFAULT_REGION = "us-east-1";
  static final String EMBEDDED_BUCKET = "connectbest-chat-files";

  static StorageSettings from(Settings settings) {
    String bucket = settings.string("S3_BUCKET_NAME", null);
    String region = settings.string("AWS_REGION", DEFAULT_REGION);
    String endpoint = settings.string("S3_ENDPOINT", null);
    String publicEndpoint = settings.string("S3_PUBLIC_ENDPOINT", null);
    return new StorageSettings(bucket == null ? EMBEDDED_BUCKET : bucket, region,
        endpoint == null ? null : URI.create(endpoint), publicEndpoint == null ? null : URI.create(publicEndpoint),
        bucket == null, settings.string("DATA_DIR", "./data") + "/s3", settings.integer("EMBEDDED_S3_PORT", 0),
        Path.of(settings.string("DATA_DIR", "./data"), "embedded-s3.json"),
        settings.number("EMBEDDED_S3_WAIT_SECONDS", 60));
  }
}
