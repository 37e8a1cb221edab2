package dev.obscura.transport.relay;

import dev.obscura.core.Hex;
import dev.obscura.core.StreamId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The streams a relay serves, and who may publish into and subscribe to each.
 *
 * <p>File format, UTF-8, one stream per line: {@code NAME PUBLISH_TOKEN SUBSCRIBE_TOKEN},
 * separated by spaces or tabs. {@code #} starts a comment (a whole line, or after whitespace);
 * blank lines are ignored. {@code NAME} is a {@link StreamId}; tokens follow {@link RelayToken}.
 *
 * <p><b>Security guarantees:</b> only SHA-256 digests of the tokens are kept in memory. Loading
 * refuses a file in which a token is used twice (for two streams, or as both the publish and the
 * subscribe token of one stream), since that would let one household's token open another's
 * stream, or a viewer publish. Error messages give the line number and the problem, never a
 * token.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * # name        publish token            subscribe token
 * front-door    pub-7Qm2kV0xS9aLr3Yt1Zc  sub-Jw8Pn4bHe6UfK1dGq5
 * RelayStreams streams = RelayStreams.load(Path.of("streams.txt"));
 * }</pre>
 */
public final class RelayStreams {
  private final Map<StreamId, Entry> entries;

  private RelayStreams(Map<StreamId, Entry> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  /** Reads a streams file. */
  public static RelayStreams load(Path file) throws IOException {
    return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
  }

  /**
   * Parses the text of a streams file.
   *
   * @throws IllegalArgumentException naming the line and the problem (never a token)
   */
  public static RelayStreams parse(String text) {
    Builder b = builder();
    try (BufferedReader r = new BufferedReader(new StringReader(text))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        String content = stripComment(line).trim();
        if (content.isEmpty()) {
          continue;
        }
        String[] fields = content.split("[ \t]+");
        if (fields.length != 3) {
          throw new IllegalArgumentException(
              "line " + n + ": expected NAME PUBLISH_TOKEN SUBSCRIBE_TOKEN, found "
                  + fields.length + " fields");
        }
        try {
          b.add(fields[0], fields[1], fields[2]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + n + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringReader does not fail
    }
    return b.build();
  }

  private static String stripComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** A builder for streams defined in code. */
  public static Builder builder() {
    return new Builder();
  }

  /** The names of the configured streams, in file order. */
  public List<StreamId> names() {
    return new ArrayList<>(entries.keySet());
  }

  /** The number of streams. */
  public int size() {
    return entries.size();
  }

  Entry entry(StreamId name) {
    return entries.get(name);
  }

  Map<StreamId, Entry> entries() {
    return entries;
  }

  @Override
  public String toString() {
    return "RelayStreams" + entries.keySet();
  }

  static final class Entry {
    private final byte[] publishDigest;
    private final byte[] subscribeDigest;

    Entry(byte[] publishDigest, byte[] subscribeDigest) {
      this.publishDigest = publishDigest;
      this.subscribeDigest = subscribeDigest;
    }

    /** Constant-time check of a presented token against the publish token. */
    boolean allowsPublish(String presented) {
      return MessageDigest.isEqual(RelayToken.digest(presented), publishDigest);
    }

    /** Constant-time check of a presented token against the subscribe token. */
    boolean allowsSubscribe(String presented) {
      return MessageDigest.isEqual(RelayToken.digest(presented), subscribeDigest);
    }
  }

  /** Collects streams; {@link #build()} checks that no token is used twice. */
  public static final class Builder {
    private final Map<StreamId, Entry> entries = new LinkedHashMap<>();
    private final Set<String> digests = new HashSet<>();

    private Builder() {}

    /** Adds a stream, from text fields (as in the file). */
    public Builder add(String name, String publishToken, String subscribeToken) {
      Objects.requireNonNull(name, "name");
      StreamId id;
      try {
        id = StreamId.of(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid stream name: " + e.getMessage());
      }
      if (!RelayToken.isWellFormed(Objects.requireNonNull(publishToken, "publishToken"))) {
        throw new IllegalArgumentException("stream " + id + ": publish token must be "
            + RelayToken.MIN_LENGTH + " to " + RelayToken.MAX_LENGTH
            + " characters of [A-Za-z0-9._~+/=-]");
      }
      if (!RelayToken.isWellFormed(Objects.requireNonNull(subscribeToken, "subscribeToken"))) {
        throw new IllegalArgumentException("stream " + id + ": subscribe token must be "
            + RelayToken.MIN_LENGTH + " to " + RelayToken.MAX_LENGTH
            + " characters of [A-Za-z0-9._~+/=-]");
      }
      return add(id, RelayToken.of(publishToken), RelayToken.of(subscribeToken));
    }

    /** Adds a stream. */
    public Builder add(StreamId name, RelayToken publishToken, RelayToken subscribeToken) {
      Objects.requireNonNull(name, "name");
      if (entries.containsKey(name)) {
        throw new IllegalArgumentException("stream " + name + " is defined twice");
      }
      byte[] pub = publishToken.digest();
      byte[] sub = subscribeToken.digest();
      String pubKey = Hex.format(pub);
      String subKey = Hex.format(sub);
      if (pubKey.equals(subKey)) {
        throw new IllegalArgumentException(
            "stream " + name + ": the publish and subscribe tokens must differ");
      }
      if (digests.contains(pubKey) || digests.contains(subKey)) {
        throw new IllegalArgumentException(
            "stream " + name + ": a token is already used by another stream; every token must be"
                + " unique");
      }
      digests.add(pubKey);
      digests.add(subKey);
      entries.put(name, new Entry(pub, sub));
      return this;
    }

    /** The streams. */
    public RelayStreams build() {
      return new RelayStreams(new LinkedHashMap<>(entries));
    }
  }
}
