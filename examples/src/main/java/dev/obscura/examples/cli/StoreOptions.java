package dev.obscura.examples.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --store} and {@code --endpoint}, mixed into every command that opens a store. A store
 * is a folder, or {@code s3://BUCKET/PREFIX} (credentials from {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY}, see {@link Stores#credentials()}; the service from {@code
 * --endpoint} or {@code AWS_ENDPOINT_URL}, else AWS in the region {@code AWS_REGION} names, with
 * no silent default). {@link Stores#open(StoreOptions, boolean)} opens it; {@link ObscuraCli#run}
 * closes what was opened, and removes a store folder a failed command created and left empty.
 */
final class StoreOptions implements AutoCloseable {
  static final String S3_SCHEME = "s3://";

  @Option(names = "--store", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = {
      "Store: a folder, or an S3 bucket and key prefix.",
      "S3 credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN),"
          + " the service from --endpoint or AWS_ENDPOINT_URL, else AWS in the region AWS_REGION names."})
  String location;

  @Option(names = "--endpoint", paramLabel = "URL", description = {
      "S3-compatible service for an s3:// store (MinIO, Ceph, s3proxy, ...), addressed path-style;"
          + " default: AWS_ENDPOINT_URL, else AWS (then AWS_REGION must be set). Not allowed with a folder store."})
  URI endpoint;

  /** What {@link Stores#open(StoreOptions, boolean)} opened and must be closed, or null. */
  AutoCloseable opened;

  /** The topmost folder {@link Stores#open(StoreOptions, boolean)} created for this store, or null. */
  Path created;

  /** A folder store, for commands run without picocli ({@code demo}). */
  static StoreOptions folder(Path dir) {
    StoreOptions o = new StoreOptions();
    o.location = dir.toString();
    return o;
  }

  boolean isS3() {
    return location.startsWith(S3_SCHEME);
  }

  /** The location with any trailing slashes of the prefix removed, which names the same store. */
  String normalized() {
    String s = location;
    while (isS3() && s.endsWith("/") && s.length() > S3_SCHEME.length()) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * The name a device's pins know this store by: the folder's absolute path, or the S3 location
   * and endpoint.
   */
  String storeId() {
    if (isS3()) {
      return normalized() + (endpoint == null ? "" : "@" + endpoint);
    }
    return Path.of(location).toAbsolutePath().normalize().toString();
  }

  @Override
  public void close() throws Exception {
    AutoCloseable c = opened;
    opened = null;
    if (c != null) {
      c.close();
    }
  }

  /**
   * After a failure: removes the store folder this run created if nothing was written to it.
   */
  void removeCreatedIfEmpty() {
    OutputGuard.removeIfEmpty(created);
    created = null;
  }

  /**
   * Closes every store opened through the options of the command that ran (and its mixins);
   * after a failure, also removes the store folders it created and left empty.
   */
  static void closeAll(CommandLine.ParseResult result, boolean failed) {
    for (StoreOptions s : of(result)) {
      try {
        s.close();
      } catch (Exception e) {
        // closing a client after the command finished: nothing to report to the user
      }
      if (failed) {
        s.removeCreatedIfEmpty();
      }
    }
  }

  /** The store options of the command that ran (and of its mixins), in order. */
  static java.util.List<StoreOptions> of(CommandLine.ParseResult result) {
    java.util.List<StoreOptions> all = new java.util.ArrayList<>();
    for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
      collect(r.commandSpec(), all);
    }
    return all;
  }

  private static void collect(CommandLine.Model.CommandSpec spec, java.util.List<StoreOptions> all) {
    for (CommandLine.Model.CommandSpec m : spec.mixins().values()) {
      if (m.userObject() instanceof StoreOptions s) {
        all.add(s);
      }
      collect(m, all);
    }
  }

  /** The bucket of an {@code s3://} location. */
  String bucket() {
    String rest = location.substring(S3_SCHEME.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  @Override
  public String toString() {
    return location;
  }
}
