package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.transport.FileSystemSegmentStore;
import dev.obscura.transport.s3.S3SegmentStore;
import dev.obscura.transport.spool.SpoolingSegmentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Opens the store a command names, and finds the stream in it. */
final class Stores {
  private Stores() {}

  /**
   * Opens the store {@code --store} names: an {@code s3://BUCKET/PREFIX} location (with
   * {@code --endpoint}, path-style), or a folder, created when {@code create} is set. What it
   * opens is closed by {@link StoreOptions#close()}.
   */
  static SegmentStore open(StoreOptions options, boolean create) throws IOException {
    String location = options.location;
    if (!options.isS3()) {
      if (options.endpoint != null) {
        throw new CliException(Outcome.USAGE,
            "--endpoint is only for s3:// stores; " + location + " is a folder");
      }
      if (location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
        throw new CliException(Outcome.USAGE,
            "unsupported --store " + location + ": give a folder or s3://BUCKET/PREFIX");
      }
      Path dir = Path.of(location);
      if (create && options.created == null) {
        options.created = OutputGuard.firstMissing(dir);
      }
      return open(dir, create);
    }
    if (options.endpoint == null && !awsConfigured(System.getenv())) {
      throw new CliException(Outcome.USAGE, "no S3 service for " + location + ": give --endpoint URL for an"
          + " S3-compatible service (MinIO, Ceph, ...), or set AWS_REGION to use AWS");
    }
    S3SegmentStore s3;
    try {
      S3SegmentStore.Builder b = S3SegmentStore.builder().location(location).credentials(credentials());
      if (options.endpoint != null) {
        b.endpoint(options.endpoint).pathStyleAccess(true);
      }
      s3 = b.build();
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --store/--endpoint: " + e.getMessage());
    }
    options.opened = s3;
    return s3;
  }

  /**
   * Whether an {@code s3://} store without {@code --endpoint} has a service to go to: {@code
   * AWS_ENDPOINT_URL} (or {@code -Daws.endpointUrl}), which the AWS SDK reads, or a region for
   * AWS ({@code AWS_REGION}, {@code -Daws.region}). Without either, the tool refuses rather than
   * send the footage of what may be a MinIO bucket to AWS's us-east-1.
   */
  static boolean awsConfigured(Map<String, String> env) {
    return present(env.get("AWS_ENDPOINT_URL")) || present(env.get("AWS_ENDPOINT_URL_S3"))
        || present(System.getProperty("aws.endpointUrl")) || present(env.get("AWS_REGION"))
        || present(System.getProperty("aws.region"));
  }

  private static boolean present(String v) {
    return v != null && !v.isBlank();
  }

  /**
   * The one-line message of a failure of an {@code s3://} store that is about the store itself
   * (a bucket that does not exist), or null.
   */
  static String s3Problem(Throwable failure, StoreOptions options) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof software.amazon.awssdk.services.s3.model.S3Exception s) {
        String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
        if (s instanceof software.amazon.awssdk.services.s3.model.NoSuchBucketException || "NoSuchBucket".equals(code)) {
          String bucket = options == null ? "of the store" : options.bucket();
          String where = options == null || options.endpoint == null ? "" : " at " + options.endpoint;
          return "the bucket " + bucket + " does not exist" + where + ": create it first (aws s3 mb s3://"
              + (options == null ? "BUCKET" : bucket) + ", mc mb, or the service's console), or check --store"
              + " and --endpoint";
        }
      }
    }
    return null;
  }

  /**
   * S3 credentials from the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system
   * properties, else the {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and
   * {@code AWS_SESSION_TOKEN}) environment: the first two links of the SDK's default chain. The
   * chain's network sources (container and instance metadata) are left out, so a missing key is
   * a prompt one-line error rather than a probe of a metadata service.
   */
  static AwsCredentialsProvider credentials() {
    AwsCredentialsProvider chain = AwsCredentialsProviderChain.builder()
        .credentialsProviders(SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create())
        .reuseLastProviderEnabled(false)
        .build();
    try {
      chain.resolveCredentials();
    } catch (SdkClientException e) {
      throw new CliException(Outcome.CONFLICT, // the environment, not the command line: exit 1
          "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    return chain;
  }

  /**
   * The default spool folder of an S3 store: {@code $XDG_STATE_HOME/obscura/spool/HASH}, or
   * {@code ~/.local/state/obscura/spool/HASH} when {@code XDG_STATE_HOME} is unset, where HASH
   * names the location and endpoint (a spool must only ever feed one store).
   */
  static Path defaultSpool(StoreOptions options, Map<String, String> env, String home) {
    String state = env.get("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
        ? Path.of(state)
        : Path.of(home, ".local", "state");
    String key = options.normalized() + "\n" + (options.endpoint == null ? "" : options.endpoint.toString());
    return base.resolve("obscura").resolve("spool").resolve(SpoolingSegmentStore.folderName(key));
  }

  /** Opens a store folder, creating it when {@code create} is set. */
  static SegmentStore open(Path dir, boolean create) throws IOException {
    if (!create && !Files.isDirectory(dir)) {
      throw new CliException(Outcome.CONFLICT, "no store at " + dir);
    }
    return new FileSystemSegmentStore(dir);
  }

  /** The stream named, or the store's only stream. */
  static StreamId pickStream(SegmentStore store, String requested) throws IOException {
    if (requested != null) {
      return parseStream(requested);
    }
    SortedSet<StreamId> streams = StreamReader.streams(store);
    if (streams.isEmpty()) {
      throw new CliException(Outcome.CONFLICT, "the store holds no segments");
    }
    if (streams.size() > 1) {
      throw new CliException(Outcome.USAGE,
          "the store holds several streams " + streams + ": choose one with --stream");
    }
    return streams.first();
  }

  static StreamId parseStream(String name) {
    try {
      return StreamId.of(name);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --stream: " + e.getMessage());
    }
  }

  static List<StoredObject> all(SegmentStore store) throws IOException {
    return store.list("");
  }
}
