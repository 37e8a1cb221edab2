package dev.obscura.transport.s3;

import dev.obscura.transport.internal.AbstractObjectWriter;
import dev.obscura.transport.internal.NotOnAndroid;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.transport.internal.ObjectNameRules;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import dev.obscura.core.Hex;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link SegmentStore} in a bucket of any S3-compatible object store (AWS S3, MinIO, Ceph RGW,
 * s3proxy), on the AWS SDK for Java v2. Object {@code a/b} is the key {@code PREFIX/a/b}.
 *
 * <p><b>Security guarantees:</b> the store only ever holds what it is given (ciphertext and
 * public headers) and is not trusted: readers authenticate what comes back. The secret access
 * key is held by the credentials provider only; it never appears in {@link #toString()}, in
 * exception messages or in logs (which name the operation, bucket, key and HTTP status only).
 *
 * <p><b>Guarantees:</b>
 *
 * <ul>
 *   <li>Nothing is sent before {@link ObjectWriter#commit()}: a writer buffers in memory up to
 *       {@link Builder#memoryBufferBytes} and in a private temporary file beyond. At commit an
 *       object up to {@link Builder#multipartThresholdBytes} goes up as one PUT; a larger one as a
 *       multipart upload of {@link Builder#partSizeBytes} parts, aborted if any step fails. Both
 *       are atomic in S3: the object is visible whole or not at all, never partial.
 *   <li>Transient failures are retried by the AWS SDK itself, with its retry strategy ({@link
 *       Builder#retryStrategy}; default {@link #retryStrategy(int, BackoffStrategy)} with 5
 *       attempts and exponential backoff with full jitter from 200 ms to 10 s): the SDK knows
 *       which errors and throttling answers are transient. Every request is idempotent. The one
 *       thing the SDK cannot know is kept here: a multipart completion whose first answer was
 *       lost and whose retry finds the upload gone ({@code NoSuchUpload}) counts as done if the
 *       object in place has this upload's size and multipart ETag. Other failures, and transient
 *       ones that outlast the strategy, surface as an {@link IOException} with a one-line
 *       message.
 *   <li>{@link #open} streams the object; a missing key is a {@link NoSuchObjectException}.
 *       {@link #list} pages through the whole listing and returns it sorted by name.
 *       {@link #delete} is one DELETE, idempotent.
 *   <li>Thread-safe.
 * </ul>
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>Optional dependency: add {@code software.amazon.awssdk:s3} and
 *       {@code software.amazon.awssdk:url-connection-client} (versions from the AWS BOM) to use
 *       this class. The SDK's own retries are switched off; this class retries.
 *   <li>If the connection breaks while a reader is streaming an object, the reader gets an
 *       {@link IOException}; it is not resumed. Reopen to retry.
 *   <li>Replacing an existing name is atomic in S3; two writers committing the same name at once
 *       end with one of the two, whole.
 *   <li>Request and response checksums are sent and checked only where S3 requires them (the
 *       SDK's {@code WHEN_REQUIRED}): many S3-compatible servers reject the newer trailing
 *       checksums. On plain HTTP endpoints the SigV4 signature still covers the payload hash.
 *   <li>A multipart upload abandoned by a killed process is not cleaned up by this class:
 *       configure a lifecycle rule ({@code AbortIncompleteMultipartUpload}) on the bucket.
 * </ul>
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (S3SegmentStore store = S3SegmentStore.builder()
 *     .location("s3://footage/home")                  // bucket "footage", prefix "home"
 *     .endpoint(URI.create("http://127.0.0.1:9000")) // MinIO; omit for AWS
 *     .pathStyleAccess(true)
 *     .build()) {                                   // credentials and region from AWS_* env
 *   store.put(ObjectNames.segment(id), sealed);
 * }
 * }</pre>
 */
@NotOnAndroid
public final class S3SegmentStore implements SegmentStore, AutoCloseable {
  /** The smallest part S3 accepts (except the last one). */
  public static final long MIN_PART_SIZE_BYTES = 5L * 1024 * 1024;
  /** The largest single PUT and the largest part S3 accepts. */
  public static final long MAX_PART_SIZE_BYTES = 5L * 1024 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(S3SegmentStore.class);
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final S3Client client;
  private final String bucket;
  private final String keyPrefix; // "" or "a/b/"
  private final String displayEndpoint;
  private final long partSizeBytes;
  private final long multipartThresholdBytes;
  private final int memoryBufferBytes;
  private final Path tempDirectory;
  private final RetryStrategy retryStrategy;
  private final int listPageSize;

  private S3SegmentStore(Builder b, S3Client client) {
    this.client = client;
    this.bucket = b.bucket;
    this.keyPrefix = b.prefix.isEmpty() ? "" : b.prefix + "/";
    this.displayEndpoint = b.endpoint == null ? "aws" : redact(b.endpoint);
    this.partSizeBytes = b.partSizeBytes;
    this.multipartThresholdBytes = b.multipartThresholdBytes;
    this.memoryBufferBytes = b.memoryBufferBytes;
    this.tempDirectory = b.tempDirectory;
    this.retryStrategy = b.retryStrategy;
    this.listPageSize = b.listPageSize;
  }

  private static final RetryStrategy DEFAULT_RETRIES =
      retryStrategy(5, BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(10)));

  /**
   * The AWS SDK's standard retry strategy with AWS's retry conditions (throttling, 5xx, I/O
   * failures, clock skew), {@code maxAttempts} attempts in all and {@code backoff} between them
   * (for throttling answers too), without the SDK's client-wide retry quota (a long outage must
   * not use up the retries of the requests after it).
   *
   * @param maxAttempts attempts in all, including the first (1 means no retry)
   * @param backoff the delay before each retry, e.g. {@code BackoffStrategy.exponentialDelay}
   * @return the strategy, for {@link Builder#retryStrategy}
   * @throws IllegalArgumentException if {@code maxAttempts} is not 1 to 100
   */
  public static RetryStrategy retryStrategy(int maxAttempts, BackoffStrategy backoff) {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1-100, got " + maxAttempts);
    }
    Objects.requireNonNull(backoff, "backoff");
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .circuitBreakerEnabled(false)
        .maxAttempts(maxAttempts)
        .backoffStrategy(backoff)
        .throttlingBackoffStrategy(backoff)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The key prefix, without its trailing slash; empty for none. */
  public String prefix() {
    return keyPrefix.isEmpty() ? "" : keyPrefix.substring(0, keyPrefix.length() - 1);
  }

  @Override
  public ObjectWriter create(String name) throws IOException {
    ObjectNameRules.validate(name);
    return new Writer(name, keyPrefix + name);
  }

  @Override
  public InputStream open(String name) throws IOException {
    ObjectNameRules.validate(name);
    String key = keyPrefix + name;
    try {
      ResponseInputStream<GetObjectResponse> in =
          withRetries("GET", key, () -> client.getObject(r -> r.bucket(bucket).key(key)));
      Long length = in.response().contentLength();
      return length == null ? in : new LengthCheckingStream(in, length, key);
    } catch (NoSuchObjectException e) {
      throw new NoSuchObjectException(name);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    if (!couldPrefixAName(prefix)) {
      return List.of(); // and never hand a server a prefix such as "../"
    }
    String keyPrefixed = keyPrefix + prefix;
    List<StoredObject> out = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListObjectsV2Response page =
          withRetries(
              "LIST",
              keyPrefixed,
              () ->
                  client.listObjectsV2(
                      r -> r.bucket(bucket).prefix(keyPrefixed).continuationToken(t)
                          .maxKeys(listPageSize)));
      for (S3Object o : page.contents()) {
        String name = o.key().substring(keyPrefix.length());
        if (ObjectNameRules.isValid(name)) {
          out.add(new StoredObject(name, o.size() == null ? 0 : o.size()));
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    out.sort(Comparator.comparing(StoredObject::name));
    return out;
  }

  /**
   * Deletes the key (one DELETE, retried like every request). Idempotent: S3 answers a DELETE of a
   * missing key with success, and a 404 from a server that does not is taken as success too. On a
   * versioned bucket S3 keeps the old version behind a delete marker: configure a lifecycle rule
   * that expires noncurrent versions if retention must free the space.
   */
  @Override
  public void delete(String name) throws IOException {
    ObjectNameRules.validate(name);
    String key = keyPrefix + name;
    try {
      withRetries("DELETE", key, () -> client.deleteObject(r -> r.bucket(bucket).key(key)));
    } catch (NoSuchObjectException e) {
      // already gone
    }
  }

  /** Whether some valid object name starts with {@code prefix}. */
  private static boolean couldPrefixAName(String prefix) {
    if (prefix.isEmpty()) {
      return true;
    }
    int slash = prefix.lastIndexOf('/');
    if (slash >= 0 && !ObjectNameRules.isValid(prefix.substring(0, slash))) {
      return false;
    }
    String last = prefix.substring(slash + 1);
    return last.isEmpty() || ObjectNameRules.isValid(last.length() > ObjectNameRules.MAX_ELEMENT_LENGTH ? last.substring(0, ObjectNameRules.MAX_ELEMENT_LENGTH) : last);
  }

  /** Closes the S3 client. Writers still open fail. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "S3SegmentStore[endpoint=" + displayEndpoint + ", bucket=" + bucket + ", prefix="
        + prefix() + "]";
  }

  /** Fails a read that ends before the announced length: a cut connection is never a short object. */
  @NotOnAndroid
  private static final class LengthCheckingStream extends java.io.FilterInputStream {
    private final long length;
    private final String key;
    private long read;

    LengthCheckingStream(InputStream in, long length, String key) {
      super(in);
      this.length = length;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = super.read();
      } catch (SdkException e) {
        throw new IOException("S3 GET " + key + " broke off: " + describe(e), e);
      }
      if (b < 0) {
        checkComplete();
      } else {
        read++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(buf, off, len);
      } catch (SdkException e) {
        throw new IOException("S3 GET " + key + " broke off: " + describe(e), e);
      }
      if (n < 0) {
        checkComplete();
      } else {
        read += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      read += k;
      return k;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void checkComplete() throws IOException {
      if (read != length) {
        throw new IOException("S3 GET " + key + " ended after " + read + " of " + length + " bytes");
      }
    }
  }

  // ---- retries ---------------------------------------------------------------------------

  /** One S3 call that may throw the SDK's unchecked exceptions. */
  @FunctionalInterface
  private interface Call<T> {
    T run();
  }

  /** One S3 call (the SDK retries inside it), its exceptions turned into ours. */
  private <T> T withRetries(String op, String key, Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (SdkException | UncheckedIOException e) {
      if (isNotFound(e)) {
        throw new NoSuchObjectException(key);
      }
      throw failure(op, key, e);
    }
  }

  private IOException failure(String op, String key, Exception e) {
    Integer n = e instanceof SdkException se ? se.numAttempts() : null;
    int attempts = n == null ? 1 : n;
    return new IOException(
        "S3 " + op + " s3://" + bucket + "/" + key + " failed after " + attempts + " attempt"
            + (attempts == 1 ? "" : "s") + ": " + describe(e),
        e);
  }

  private static boolean isNotFound(Exception e) {
    if (e instanceof NoSuchKeyException) {
      return true;
    }
    return e instanceof AwsServiceException se
        && se.statusCode() == 404
        && !"NoSuchBucket".equals(errorCode(se))
        && !"NoSuchUpload".equals(errorCode(se));
  }

  private static String errorCode(AwsServiceException se) {
    return se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode();
  }

  /** One line naming what went wrong: status and error code, or the I/O failure. */
  private static String describe(Exception e) {
    if (e instanceof AwsServiceException se) {
      String code = errorCode(se);
      return "HTTP " + se.statusCode() + (code == null ? "" : " " + code)
          + (se.requestId() == null ? "" : " (request id " + se.requestId() + ")");
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = firstLine(e.getMessage());
    if (root != e) {
      msg = msg + " (" + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()) + ")";
    }
    return msg;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String redact(URI endpoint) {
    // An endpoint may carry user info (http://user:secret@host): never print it.
    return endpoint.getScheme() + "://" + endpoint.getHost()
        + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
        + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
  }

  // ---- uploads ---------------------------------------------------------------------------

  private void putSingle(String key, byte[] memory, int memoryLength, Path file, long size)
      throws IOException {
    withRetries(
        "PUT",
        key,
        () ->
            client.putObject(
                r -> r.bucket(bucket).key(key).contentLength(size),
                file != null
                    ? RequestBody.fromFile(file)
                    : RequestBody.fromBytes(Arrays.copyOf(memory, memoryLength))));
  }

  private void putMultipart(String key, Path file, long size) throws IOException {
    String uploadId =
        withRetries("CREATE-MULTIPART", key, () -> client.createMultipartUpload(r -> r.bucket(bucket).key(key)))
            .uploadId();
    boolean completed = false;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buf = new byte[(int) Math.min(partSizeBytes, size)];
      long offset = 0;
      for (int partNumber = 1; offset < size; partNumber++) {
        int len = (int) Math.min(partSizeBytes, size - offset);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
          if (ch.read(bb, offset + bb.position()) < 0) {
            throw new IOException("temporary file of " + key + " ended early");
          }
        }
        int pn = partNumber;
        String etag =
            withRetries(
                    "UPLOAD-PART " + pn,
                    key,
                    () ->
                        client.uploadPart(
                            r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(pn)
                                .contentLength((long) len),
                            RequestBody.fromBytes(Arrays.copyOf(buf, len))))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(pn).eTag(etag).build());
        offset += len;
      }
      complete(key, uploadId, parts, size);
      completed = true;
    } finally {
      if (!completed) {
        abortQuietly(key, uploadId);
      }
    }
  }

  /**
   * Completes a multipart upload. If an attempt's answer is lost and the retry finds the upload
   * gone ({@code NoSuchUpload}), the object is checked: it counts as completed only if its
   * size and multipart ETag are the ones this upload produces.
   */
  private void complete(String key, String uploadId, List<CompletedPart> parts, long size)
      throws IOException {
    try {
      client.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException e) {
      // NoSuchUpload after the SDK retried: the first attempt may have completed it
      if (e instanceof AwsServiceException se
          && "NoSuchUpload".equals(errorCode(se))
          && alreadyCompleted(key, parts, size)) {
        log.debug("S3 COMPLETE {}: first answer was lost, the object is in place", key);
        return;
      }
      throw failure("COMPLETE-MULTIPART", key, e);
    }
  }

  private boolean alreadyCompleted(String key, List<CompletedPart> parts, long size) {
    try {
      HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key(key));
      return head.contentLength() != null
          && head.contentLength() == size
          && multipartEtag(parts).equals(unquote(head.eTag()));
    } catch (SdkException e) {
      return false;
    }
  }

  /** The ETag S3 gives a multipart object: MD5 of the parts' binary MD5s, dash, part count. */
  static String multipartEtag(List<CompletedPart> parts) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (CompletedPart p : parts) {
        md5.update(Hex.parse(unquote(p.eTag())));
      }
      return Hex.format(md5.digest()) + "-" + parts.size();
    } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
      return "";
    }
  }

  private static String unquote(String etag) {
    if (etag == null) {
      return "";
    }
    String s = etag.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      log.warn("S3 ABORT-MULTIPART s3://{}/{} failed: {}; a bucket lifecycle rule will clean"
          + " up the parts", bucket, key, describe(e));
    }
  }

  @NotOnAndroid
  private final class Writer extends AbstractObjectWriter {
    private final String key;
    private byte[] memory = new byte[Math.min(memoryBufferBytes, 64 * 1024)];
    private int memoryLength;
    private Path file;
    private OutputStream fileOut;
    private long size;

    Writer(String name, String key) {
      super(name);
      this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkWrite(b, off, len);
      if (size + len > MAX_PART_SIZE_BYTES * 10_000) {
        throw new IOException("object " + name() + " exceeds the S3 object size limit");
      }
      if (file == null && (long) memoryLength + len <= memoryBufferBytes) {
        if (memoryLength + len > memory.length) {
          memory = Arrays.copyOf(memory, (int) Math.min(memoryBufferBytes,
              Math.max((long) memoryLength + len, 2L * memory.length)));
        }
        System.arraycopy(b, off, memory, memoryLength, len);
        memoryLength += len;
      } else {
        if (file == null) {
          spill();
        }
        fileOut.write(b, off, len);
      }
      size += len;
    }

    private void spill() throws IOException {
      file = Files.createTempFile(tempDirectory, "obscura-s3-", ".tmp");
      fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
      fileOut.write(memory, 0, memoryLength);
      memory = null;
      memoryLength = 0;
    }

    @Override
    public void commit() throws IOException {
      checkOpen();
      try {
        if (fileOut != null) {
          fileOut.close();
          fileOut = null;
        }
        if (size <= multipartThresholdBytes) {
          putSingle(key, memory, memoryLength, file, size);
        } else {
          if (file == null) {
            spill();
            fileOut.close();
            fileOut = null;
          }
          putMultipart(key, file, size);
        }
        markCommitted();
      } finally {
        markClosed();
        release();
      }
    }

    @Override
    public void close() throws IOException {
      if (markClosed()) {
        release();
      }
    }

    private void release() throws IOException {
      memory = null;
      try {
        if (fileOut != null) {
          fileOut.close();
        }
      } finally {
        fileOut = null;
        if (file != null) {
          Files.deleteIfExists(file);
          file = null;
        }
      }
    }
  }

  /**
   * Builds an {@link S3SegmentStore}; validates in {@link #build()}. Only {@link #bucket} (or
   * {@link #location}) is required.
   */
  @NotOnAndroid
  public static final class Builder {
    private URI endpoint;
    private String region;
    private String bucket;
    private String prefix = "";
    private AwsCredentialsProvider credentials;
    private boolean pathStyleAccess;
    private long partSizeBytes = 8L * 1024 * 1024;
    private long multipartThresholdBytes = 16L * 1024 * 1024;
    private int memoryBufferBytes = 4 * 1024 * 1024;
    private Path tempDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private RetryStrategy retryStrategy = DEFAULT_RETRIES;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private int listPageSize = 1000;

    private Builder() {}

    /** Keys per LIST request, 1 to 1000 (S3's maximum and default). For tests of paging. */
    Builder listPageSize(int listPageSize) {
      if (listPageSize < 1 || listPageSize > 1000) {
        throw new IllegalArgumentException("listPageSize must be 1-1000");
      }
      this.listPageSize = listPageSize;
      return this;
    }

    /**
     * Bucket and prefix from an {@code s3://bucket/prefix} URI (the prefix may be empty or
     * have several elements).
     */
    public Builder location(String s3Uri) {
      Objects.requireNonNull(s3Uri, "s3Uri");
      if (!s3Uri.startsWith("s3://")) {
        throw new IllegalArgumentException("location must look like s3://bucket/prefix");
      }
      String rest = s3Uri.substring("s3://".length());
      int slash = rest.indexOf('/');
      bucket(slash < 0 ? rest : rest.substring(0, slash));
      prefix(slash < 0 ? "" : rest.substring(slash + 1));
      return this;
    }

    /**
     * The service endpoint, e.g. {@code http://127.0.0.1:9000} for MinIO. Default: AWS's
     * endpoint for the region.
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The signing region. Default: the {@code AWS_REGION} environment variable, else
     * {@code us-east-1} (what MinIO and most S3-compatible servers expect).
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    public Builder bucket(String bucket) {
      this.bucket = Objects.requireNonNull(bucket, "bucket");
      return this;
    }

    /** Key prefix: object {@code n} is stored as {@code prefix/n}. Default none. */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      while (prefix.endsWith("/")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Where the credentials come from. Default: the SDK's default chain (the
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} environment, system properties,
     * profiles, container and instance roles).
     */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Path-style URLs ({@code http://host/bucket/key}) instead of virtual-hosted ones; needed by
     * MinIO, Ceph and s3proxy on a bare host name or IP address. Default false.
     */
    public Builder pathStyleAccess(boolean pathStyleAccess) {
      this.pathStyleAccess = pathStyleAccess;
      return this;
    }

    /** Size of each multipart part, 5 MiB to 5 GiB; also the memory one upload holds. Default 8 MiB. */
    public Builder partSizeBytes(long partSizeBytes) {
      this.partSizeBytes = partSizeBytes;
      return this;
    }

    /** Objects larger than this go up as multipart uploads. 1 B to 5 GiB, default 16 MiB. */
    public Builder multipartThresholdBytes(long multipartThresholdBytes) {
      this.multipartThresholdBytes = multipartThresholdBytes;
      return this;
    }

    /** A writer keeps up to this many bytes in memory before it spills to a temporary file. Default 4 MiB. */
    public Builder memoryBufferBytes(int memoryBufferBytes) {
      this.memoryBufferBytes = memoryBufferBytes;
      return this;
    }

    /** Where writers spill. Default {@code java.io.tmpdir}. */
    public Builder tempDirectory(Path tempDirectory) {
      this.tempDirectory = Objects.requireNonNull(tempDirectory, "tempDirectory");
      return this;
    }

    /**
     * The AWS SDK retry strategy of every request. Default: {@link #retryStrategy(int,
     * BackoffStrategy)} with 5 attempts and {@code BackoffStrategy.exponentialDelay(200 ms, 10
     * s)}; {@code AwsRetryStrategy.doNotRetry()} for none.
     *
     * @param retryStrategy the strategy (used for this store's client)
     * @return this builder
     */
    public Builder retryStrategy(RetryStrategy retryStrategy) {
      this.retryStrategy = Objects.requireNonNull(retryStrategy, "retryStrategy");
      return this;
    }

    /** TCP connect timeout per attempt. Default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /** Longest wait for bytes on an open connection per attempt. Default 30 s. */
    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = Objects.requireNonNull(socketTimeout, "socketTimeout");
      return this;
    }

    public S3SegmentStore build() {
      if (bucket == null || !BUCKET.matcher(bucket).matches()) {
        throw new IllegalArgumentException(
            "bucket must be 3-63 characters of [a-z0-9.-], starting and ending with a letter"
                + " or digit");
      }
      if (!prefix.isEmpty()) {
        ObjectNameRules.validate(prefix);
      }
      if (partSizeBytes < MIN_PART_SIZE_BYTES || partSizeBytes > MAX_PART_SIZE_BYTES
          || partSizeBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("partSizeBytes must be 5 MiB to 2 GiB, got " + partSizeBytes);
      }
      if (multipartThresholdBytes < 1 || multipartThresholdBytes > MAX_PART_SIZE_BYTES) {
        throw new IllegalArgumentException("multipartThresholdBytes must be 1 B to 5 GiB");
      }
      if (memoryBufferBytes < 0 || memoryBufferBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("memoryBufferBytes out of range");
      }
      if (endpoint != null) {
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
          throw new IllegalArgumentException("endpoint must be an http or https URL with a host");
        }
        if (endpoint.getUserInfo() != null) {
          throw new IllegalArgumentException(
              "endpoint must not carry credentials; use credentials(...) or the AWS_* environment");
        }
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()
          || socketTimeout.isNegative() || socketTimeout.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
      String r = region;
      if (r == null) {
        String env = System.getenv("AWS_REGION");
        r = env == null || env.isBlank() ? "us-east-1" : env.strip();
      }
      var cb =
          S3Client.builder()
              .region(Region.of(r))
              .credentialsProvider(
                  credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
              .forcePathStyle(pathStyleAccess)
              .httpClientBuilder(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(connectTimeout)
                      .socketTimeout(socketTimeout))
              .overrideConfiguration(c -> c.retryStrategy(retryStrategy))
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      if (endpoint != null) {
        cb.endpointOverride(endpoint);
      }
      return new S3SegmentStore(this, cb.build());
    }
  }
}
