package com.connectbest.chat.uploads;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The bucket, through the S3 API only (AWS SDK v2 async client on Netty): single PutObject for small files,
 * multipart uploads for large ones, presigned GETs. Every result completes on the owning verticle's context.
 */
final class ObjectStorage implements AutoCloseable {

  /** What is stored with an object besides its bytes. */
  record ObjectInfo(String contentType, String contentDisposition, Map<String, String> metadata) {
  }

  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(60);
  /** The SDK's own default: two per core. */
  private static final int IO_THREADS = 2 * Runtime.getRuntime().availableProcessors();

  private final Vertx vertx;
  private final Context context;
  private final S3AsyncClient s3;
  /**
   * The client's I/O threads, ours rather than the SDK's: the SDK closes a group it made with Netty's default quiet
   * period, and every node's shutdown waited those 2 s for nothing. Closed in {@link #close} after the client.
   */
  private final EventLoopGroup ioThreads;
  private final S3Presigner presigner;
  private final String bucket;

  ObjectStorage(Vertx vertx, StorageSettings settings, EmbeddedS3.Endpoint embedded) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.bucket = settings.bucket();
    AwsCredentialsProvider credentials = embedded != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(embedded.accessKey(), embedded.secretKey()))
        : DefaultCredentialsProvider.builder().build();
    URI endpoint = embedded != null ? embedded.endpoint() : settings.endpoint();
    Region region = Region.of(settings.region());
    this.ioThreads = nioGroup();
    S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .region(region)
        .credentialsProvider(credentials)
        // S3-compatible servers (s3proxy, MinIO) reject the SDK's default checksum trailers
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // a stuck storage call fails the upload (and its session) instead of holding it forever
        .overrideConfiguration(o -> o.apiCallTimeout(API_CALL_TIMEOUT))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64)
            .connectionAcquisitionTimeout(Duration.ofSeconds(30))
            .eventLoopGroup(SdkEventLoopGroup.create(ioThreads, NioSocketChannel::new)));
    S3Presigner.Builder presign = S3Presigner.builder().region(region).credentialsProvider(credentials);
    if (endpoint != null) {
      builder.endpointOverride(endpoint).forcePathStyle(true);
    }
    URI presignEndpoint = settings.publicEndpoint() != null ? settings.publicEndpoint() : endpoint;
    if (presignEndpoint != null) {
      presign.endpointOverride(presignEndpoint)
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }
    this.s3 = builder.build();
    this.presigner = presign.build();
  }

  /**
   * Netty 4.2 deprecates this class for {@code MultiThreadIoEventLoopGroup}, but SDK 2.40 accepts only the 4.1 group
   * classes ("Unknown event loop group" otherwise).
   */
  @SuppressWarnings("deprecation")
  private static EventLoopGroup nioGroup() {
    return new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("s3-io", true));
  }

  String bucket() {
    return bucket;
  }

  Future<Void> reachable() {
    return on(s3.headBucket(b -> b.bucket(bucket))).mapEmpty();
  }

  /** Creates the bucket unless it exists (used for the embedded server). */
  Future<Void> ensureBucket() {
    return on(s3.headBucket(b -> b.bucket(bucket)))
        .<Void>mapEmpty()
        .recover(missing -> on(s3.createBucket(b -> b.bucket(bucket)))
            .<Void>mapEmpty()
            .recover(error -> cause(error) instanceof BucketAlreadyOwnedByYouException
                ? Future.succeededFuture() : Future.failedFuture(error)));
  }

  Future<Void> put(String key, Buffer bytes, ObjectInfo info) {
    return on(s3.putObject(b -> b.bucket(bucket).key(key).contentType(info.contentType())
            .contentDisposition(info.contentDisposition()).metadata(info.metadata()).contentLength((long) bytes.length()),
        AsyncRequestBody.fromBytesUnsafe(bytes.getBytes()))).mapEmpty();
  }

  /** Starts a multipart upload; resolves to its upload id. */
  Future<String> createMultipart(String key, ObjectInfo info) {
    return on(s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(info.contentType())
        .contentDisposition(info.contentDisposition()).metadata(info.metadata())))
        .map(response -> response.uploadId());
  }

  Future<CompletedPart> uploadPart(String key, String uploadId, int partNumber, Buffer bytes) {
    return on(s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
            .contentLength((long) bytes.length()),
        AsyncRequestBody.fromBytesUnsafe(bytes.getBytes())))
        .map(response -> CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
  }

  Future<Void> completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
    return on(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(u -> u.parts(parts)))).mapEmpty();
  }

  Future<Void> abortMultipart(String key, String uploadId) {
    return on(s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId))).mapEmpty();
  }

  Future<Void> delete(String key) {
    return on(s3.deleteObject(b -> b.bucket(bucket).key(key))).mapEmpty();
  }

  /** The object's headers, or null when there is no such object. */
  Future<HeadObjectResponse> head(String key) {
    return on(s3.headObject(b -> b.bucket(bucket).key(key))).recover(error -> {
      Throwable cause = cause(error);
      if (cause instanceof NoSuchKeyException || (cause instanceof S3Exception s3Error && s3Error.statusCode() == 404)) {
        return Future.succeededFuture(null);
      }
      return Future.failedFuture(error);
    });
  }

  /** Multipart uploads started and neither completed nor aborted. */
  Future<List<MultipartUpload>> pendingMultiparts() {
    return on(s3.listMultipartUploads(b -> b.bucket(bucket))).map(response -> response.uploads());
  }

  /**
   * A GET URL valid for {@code ttl}, answering with the given Content-Type and Content-Disposition. Signing may
   * refresh credentials (a blocking call on AWS), so it runs on a worker.
   */
  Future<String> presignGet(String key, String contentType, String contentDisposition, Duration ttl) {
    return vertx.executeBlocking(() -> presigner.presignGetObject(p -> p.signatureDuration(ttl)
        .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentType(contentType)
            .responseContentDisposition(contentDisposition))).url().toString(), false);
  }

  private <T> Future<T> on(CompletableFuture<T> future) {
    return Future.fromCompletionStage(future, context);
  }

  static Throwable cause(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void close() {
    s3.close();
    presigner.close();
    // the client is closed, so nothing is left to run on these threads: no quiet period
    ioThreads.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
