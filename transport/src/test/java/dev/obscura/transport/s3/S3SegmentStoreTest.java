package dev.obscura.transport.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.SegmentStoreContract;
import dev.obscura.transport.testing.SecretScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/** The store contract and the S3 specifics, against a real s3proxy in a child process. */
class S3SegmentStoreTest extends SegmentStoreContract {
  @TempDir static Path work;
  static S3ProxyServer server;
  private static final AtomicInteger testNumber = new AtomicInteger();
  private S3SegmentStore s3;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3ProxyServer(work);
    server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected SegmentStore newStore() throws IOException {
    // a fresh prefix per test is a fresh, empty store
    s3 = server.storeBuilder("contract/t" + testNumber.incrementAndGet())
        .tempDirectory(Files.createDirectories(work.resolve("spill")))
        .memoryBufferBytes(256 * 1024)
        .partSizeBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
        .multipartThresholdBytes(S3SegmentStore.MIN_PART_SIZE_BYTES)
        .build();
    return s3;
  }

  /** s3proxy's filesystem backend writes NAME-UUID temporary files: 37 characters more. */
  @Override
  protected int longestElementTested() {
    return 255 - 37;
  }

  @AfterEach
  void closeStore() throws IOException {
    s3.close();
    try (Stream<Path> s = Files.list(work.resolve("spill"))) {
      assertEquals(List.of(), s.toList(), "writers delete their spill files");
    }
  }

  @Test
  void multipartUploadOfLargeObjectIsWholeAndVisibleOnlyAfterCommit() throws Exception {
    byte[] big = new byte[12 * 1024 * 1024 + 5]; // three parts of 5 MiB, the last short
    new Random(3).nextBytes(big);
    try (ObjectWriter w = s3.create("cam/segments/big.seg")) {
      for (int off = 0; off < big.length; off += 1_000_003) {
        w.write(big, off, Math.min(1_000_003, big.length - off));
      }
      assertThrows(NoSuchObjectException.class, () -> s3.open("cam/segments/big.seg"));
      w.commit();
    }
    assertArrayEquals(big, s3.readAll("cam/segments/big.seg", big.length));
    assertEquals(List.of(new StoredObject("cam/segments/big.seg", big.length)), s3.list("cam/"));
    // no multipart upload is left behind
    try (var client = software.amazon.awssdk.services.s3.S3Client.builder()
        .endpointOverride(server.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(S3ProxyServer.credentials()).forcePathStyle(true)
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .build()) {
      assertEquals(0, client.listMultipartUploads(r -> r.bucket(S3ProxyServer.BUCKET)).uploads().size());
    }
  }

  @Test
  void listingPagesThroughMoreThanOnePage() throws IOException {
    int n = 25;
    for (int i = 0; i < n; i++) {
      s3.put(String.format("many/%05d", i), new byte[] {(byte) i});
    }
    s3.put("other", new byte[1]);
    try (S3SegmentStore paged = server.storeBuilder(s3.prefix()).listPageSize(7).build()) {
      List<StoredObject> all = paged.list("many/");
      assertEquals(n, all.size());
      assertEquals("many/00024", all.get(n - 1).name());
      assertEquals(n + 1, paged.list("").size());
    }
  }

  @Test
  void wrongCredentialsFailOnceWithoutLeakingTheSecret() throws IOException {
    String secret = "wrong-secret-Hq3nT8vW";
    try (S3SegmentStore bad = server.storeBuilder("x")
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.IDENTITY, secret)))
        .build()) {
      IOException e = assertThrows(IOException.class, () -> bad.put("a", new byte[] {1}));
      // 403 is not retried; but the server may answer before the request body is sent and the
      // client then sees a broken write (transient): so either is fine here, which the SDK retries.
      assertTrue(e.getMessage().contains("HTTP 403") || e.getMessage().contains("request body"),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
      // neither the secret nor any 8 characters of it, in any encoding
      assertEquals(List.of(), new SecretScan().putText("secret key", secret).leaks(e.getMessage() + "\n" + bad));
    }
  }

  @Test
  void unreachableEndpointIsRetriedThenFails() throws IOException {
    int port = S3ProxyServer.freePort(); // nothing listens there
    try (S3SegmentStore dead = S3SegmentStore.builder()
        .endpoint(java.net.URI.create("http://127.0.0.1:" + port))
        .bucket(S3ProxyServer.BUCKET).credentials(S3ProxyServer.credentials()).pathStyleAccess(true)
        .retryStrategy(S3SegmentStore.retryStrategy(3, BackoffStrategy.exponentialDelay(Duration.ofMillis(10), Duration.ofMillis(20))))
        .build()) {
      IOException e = assertThrows(IOException.class, () -> dead.put("a", new byte[] {1}));
      assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
      assertFalse(e.getMessage().contains(S3ProxyServer.CREDENTIAL));
    }
  }

  @Test
  void retriesAreTheSdksStrategyWithOurAttemptsAndBackoff() {
    RetryStrategy r = S3SegmentStore.retryStrategy(4,
        BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofMillis(1000)));
    assertEquals(4, r.maxAttempts());
    // the SDK decides what is transient: a refused connection is, a 403 is not
    var token = r.acquireInitialToken(
        software.amazon.awssdk.retries.api.AcquireInitialTokenRequest.create("s3")).token();
    var again = r.refreshRetryToken(software.amazon.awssdk.retries.api.RefreshRetryTokenRequest
        .builder().token(token).failure(SdkClientException.builder().message("x")
            .cause(new java.io.IOException("Connection refused")).build()).build());
    assertTrue(again.delay().toMillis() <= 100, "first backoff within the first step");
    var token2 = r.acquireInitialToken(
        software.amazon.awssdk.retries.api.AcquireInitialTokenRequest.create("s3")).token();
    assertThrows(software.amazon.awssdk.retries.api.TokenAcquisitionFailedException.class,
        () -> r.refreshRetryToken(software.amazon.awssdk.retries.api.RefreshRetryTokenRequest
            .builder().token(token2).failure(S3Exception.builder().statusCode(403).awsErrorDetails(
                software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder().errorCode("AccessDenied").build()).build()).build()));
    assertThrows(IllegalArgumentException.class,
        () -> S3SegmentStore.retryStrategy(0, BackoffStrategy.retryImmediately()));
  }

  @Test
  void builderValidates() {
    assertThrows(IllegalArgumentException.class, () -> S3SegmentStore.builder().build());
    assertThrows(IllegalArgumentException.class, () -> S3SegmentStore.builder().bucket("B").build());
    assertThrows(IllegalArgumentException.class,
        () -> S3SegmentStore.builder().bucket("bkt").partSizeBytes(1024).build());
    assertThrows(IllegalArgumentException.class,
        () -> S3SegmentStore.builder().bucket("bkt").prefix("../x").build());
    assertThrows(IllegalArgumentException.class,
        () -> S3SegmentStore.builder().bucket("bkt").endpoint(java.net.URI.create("http://u:pw@127.0.0.1:1")).build());
    assertThrows(IllegalArgumentException.class, () -> S3SegmentStore.builder().location("http://x"));
    try (S3SegmentStore s = S3SegmentStore.builder().location("s3://bkt/a/b/").region("eu-west-1")
        .credentials(S3ProxyServer.credentials()).build()) {
      assertEquals("bkt", s.bucket());
      assertEquals("a/b", s.prefix());
      assertEquals("S3SegmentStore[endpoint=aws, bucket=bkt, prefix=a/b]", s.toString());
    }
  }
}
