package dev.obscura.crypto.chain;

import java.util.Locale;
import dev.obscura.crypto.internal.Sha256;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import dev.obscura.core.Hex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A camera-signed statement over a consecutive run of one stream's segments: "segments {@code
 * first..last} of stream S have exactly these chain digests". Together with the previous-digest
 * linkage in every segment header, it is evidence that footage of the run is complete and
 * unaltered, and it closes the gap the hash chain alone leaves: dropping the newest segments is
 * detected up to the last manifest.
 *
 * <pre>
 * manifest = body || signature (64)
 * body:
 *   0      4   magic "OBSM"
 *   4      1   version = 0x01
 *   5      1   n = length of the stream id, 1..64
 *   6      n   stream id (ASCII, as in segment headers)
 *   6+n    8   first sequence, 0..2^63-1
 *   14+n   8   last sequence, first..2^63-1, last - first + 1 &lt;= {@value #MAX_DIGESTS}
 *   22+n   16  camera verifying-key id (first 16 bytes of SHA-256 of the Ed25519 key)
 *   38+n   32k digests of segments first..last, k = last - first + 1, each
 *              SHA-256("obscura/v1 chain" || segment header || commitment)
 * signature = Ed25519(camera, "obscura/v1 sig chain-manifest" || 0x00 || body)
 * </pre>
 *
 * Stored as {@code STREAM/manifests/LAST.man} with the last sequence zero-padded to 19 digits
 * ({@link #objectName}). The full normative text is in {@code docs/spec/share-grant-v1.md},
 * section "Chain manifest".
 *
 * <p><b>Security guarantees:</b> {@link #verify} accepts only a manifest whose every byte was
 * signed by the given camera key for purpose {@link SignaturePurpose#CHAIN_MANIFEST}. A verified
 * manifest pins each covered segment's digest, which pins its header (stream, sequence, epoch,
 * start time, previous digest) and key commitment; since the commitment binds the segment key,
 * salt and header, a segment whose digest matches is the one the camera sealed.
 *
 * <p><b>Restrictions:</b> segments sealed after the newest manifest (at most N-1 with {@link
 * ChainSigner} every N segments, plus any after a crash before close) are not covered: their
 * truncation cannot be proven. {@link #parse} does not verify the signature.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * ChainManifest m = ChainManifest.sign(stream, 0, digests, cameraKey);
 * store.put(m.objectName(), m.encode());
 * ChainManifest.parse(bytes).verify(cameraKey.verifyingKey());
 * }</pre>
 */
public final class ChainManifest {
  /** The four magic bytes, "OBSM". */
  static final byte[] MAGIC = {'O', 'B', 'S', 'M'};
  /** The only version this code writes and reads. */
  public static final int VERSION = 1;
  /** The most segments one manifest covers. */
  public static final int MAX_DIGESTS = 100_000;
  /** Length of one segment digest. */
  public static final int DIGEST_LENGTH = SegmentHeader.DIGEST_LENGTH;
  static final int KEY_ID_LENGTH = 16;
  /** The largest encoded manifest. */
  public static final int MAX_ENCODED_BYTES =
      6 + StreamId.MAX_LENGTH + 8 + 8 + KEY_ID_LENGTH + MAX_DIGESTS * DIGEST_LENGTH
          + VerifyingKey.SIGNATURE_LENGTH;

  private static final Pattern NAME =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63})/manifests/(\\d{19})\\.man");

  private final StreamId stream;
  private final long firstSequence;
  private final byte[] cameraKeyId;
  private final byte[][] digests;
  private final byte[] body;
  private final byte[] signature;

  private ChainManifest(StreamId stream, long firstSequence, byte[] cameraKeyId, byte[][] digests,
      byte[] body, byte[] signature) {
    this.stream = stream;
    this.firstSequence = firstSequence;
    this.cameraKeyId = cameraKeyId;
    this.digests = digests;
    this.body = body;
    this.signature = signature;
  }

  /**
   * Signs the digests of segments {@code firstSeq .. firstSeq + digests.size() - 1} of {@code
   * stream} with the camera's key.
   *
   * @throws IllegalArgumentException if there are no digests or more than {@value #MAX_DIGESTS},
   *     a digest is not 32 bytes, or the sequence range leaves 0..2^63-1
   */
  public static ChainManifest sign(StreamId stream, long firstSeq, List<byte[]> digests,
      SigningKey camera) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(digests, "digests");
    Objects.requireNonNull(camera, "camera");
    if (digests.isEmpty() || digests.size() > MAX_DIGESTS) {
      throw new IllegalArgumentException("a manifest covers 1.." + MAX_DIGESTS + " segments");
    }
    if (firstSeq < 0 || firstSeq > Long.MAX_VALUE - (digests.size() - 1)) {
      throw new IllegalArgumentException("sequence range out of 0..2^63-1");
    }
    byte[][] copy = new byte[digests.size()][];
    for (int i = 0; i < copy.length; i++) {
      byte[] d = Objects.requireNonNull(digests.get(i), "digest");
      if (d.length != DIGEST_LENGTH) {
        throw new IllegalArgumentException("a segment digest is 32 bytes");
      }
      copy[i] = d.clone();
    }
    byte[] keyId = camera.verifyingKey().keyId();
    byte[] body = encodeBody(stream, firstSeq, keyId, copy);
    byte[] sig = camera.sign(SignaturePurpose.CHAIN_MANIFEST, body);
    return new ChainManifest(stream, firstSeq, keyId, copy, body, sig);
  }

  private static byte[] encodeBody(StreamId stream, long first, byte[] keyId, byte[][] digests) {
    byte[] sid = stream.toBytes();
    ByteBuffer b = ByteBuffer.allocate(6 + sid.length + 16 + KEY_ID_LENGTH
        + digests.length * DIGEST_LENGTH);
    b.put(MAGIC).put((byte) VERSION).put((byte) sid.length).put(sid);
    b.putLong(first).putLong(first + digests.length - 1);
    b.put(keyId);
    for (byte[] d : digests) {
      b.put(d);
    }
    return b.array();
  }

  /**
   * Parses an encoded manifest without verifying its signature. Every length is checked against
   * what remains before anything is allocated for it.
   *
   * @throws MalformedDataException if the bytes are not a version-1 manifest
   */
  public static ChainManifest parse(byte[] bytes) throws MalformedDataException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_ENCODED_BYTES) {
      throw new MalformedDataException("chain manifest larger than " + MAX_ENCODED_BYTES + " bytes");
    }
    if (bytes.length < 6) {
      throw new MalformedDataException("chain manifest cut short");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new MalformedDataException("not a chain manifest (bad magic)");
    }
    int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new MalformedDataException("unsupported chain manifest version " + version);
    }
    int n = b.get() & 0xff;
    if (n < 1 || n > StreamId.MAX_LENGTH) {
      throw new MalformedDataException("chain manifest has a stream id length of " + n);
    }
    if (b.remaining() < n + 16 + KEY_ID_LENGTH) {
      throw new MalformedDataException("chain manifest cut short");
    }
    byte[] sid = new byte[n];
    b.get(sid);
    StreamId stream;
    try {
      stream = new StreamId(new String(sid, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("chain manifest has an invalid stream id");
    }
    long first = b.getLong();
    long last = b.getLong();
    if (first < 0 || last < first || last - first >= MAX_DIGESTS) {
      throw new MalformedDataException("chain manifest has an invalid sequence range");
    }
    int count = (int) (last - first + 1);
    byte[] keyId = new byte[KEY_ID_LENGTH];
    b.get(keyId);
    long expectedRemaining = (long) count * DIGEST_LENGTH + VerifyingKey.SIGNATURE_LENGTH;
    if (b.remaining() != expectedRemaining) {
      throw new MalformedDataException("chain manifest length does not match its range ("
          + (b.remaining() < expectedRemaining ? "cut short" : "trailing data") + ")");
    }
    byte[][] digests = new byte[count][DIGEST_LENGTH];
    for (byte[] d : digests) {
      b.get(d);
    }
    byte[] body = Arrays.copyOf(bytes, bytes.length - VerifyingKey.SIGNATURE_LENGTH);
    byte[] sig = new byte[VerifyingKey.SIGNATURE_LENGTH];
    b.get(sig);
    return new ChainManifest(stream, first, keyId, digests, body, sig);
  }

  /** The encoded manifest: body and signature (a fresh array). */
  public byte[] encode() {
    byte[] out = Arrays.copyOf(body, body.length + signature.length);
    System.arraycopy(signature, 0, out, body.length, signature.length);
    return out;
  }

  /**
   * Checks that {@code camera} signed this manifest.
   *
   * @throws IntegrityException if the key id is not the camera's or the signature is not valid
   */
  public void verify(VerifyingKey camera) throws IntegrityException {
    Objects.requireNonNull(camera, "camera");
    if (!MessageDigest.isEqual(camera.keyId(), cameraKeyId)) {
      throw new IntegrityException("chain manifest of " + stream + " up to " + lastSequence()
          + " names camera key " + Hex.format(cameraKeyId) + ", not "
          + camera.keyIdHex());
    }
    camera.verify(SignaturePurpose.CHAIN_MANIFEST, body, signature);
  }

  public StreamId stream() {
    return stream;
  }

  public long firstSequence() {
    return firstSequence;
  }

  public long lastSequence() {
    return firstSequence + digests.length - 1;
  }

  /** Number of segments covered. */
  public int size() {
    return digests.length;
  }

  /** Whether this manifest covers segment {@code seq}. */
  public boolean covers(long seq) {
    return seq >= firstSequence && seq <= lastSequence();
  }

  /**
   * The digest the camera signed for segment {@code seq} (a copy).
   *
   * @throws IllegalArgumentException if {@code seq} is not covered
   */
  public byte[] digestOf(long seq) {
    if (!covers(seq)) {
      throw new IllegalArgumentException("segment " + seq + " is not in " + firstSequence + ".."
          + lastSequence());
    }
    return digests[(int) (seq - firstSequence)].clone();
  }

  /** The camera key id this manifest names (a copy); authentic only after {@link #verify}. */
  public byte[] cameraKeyId() {
    return cameraKeyId.clone();
  }

  /** {@code STREAM/manifests/LAST.man}, the last sequence zero-padded to 19 digits. */
  public String objectName() {
    return objectName(stream, lastSequence());
  }

  /** The object name of the manifest of {@code stream} that ends at {@code lastSeq}. */
  public static String objectName(StreamId stream, long lastSeq) {
    return prefix(stream) + String.format(Locale.ROOT, "%019d", lastSeq) + ".man";
  }

  /** {@code STREAM/manifests/}: the prefix that lists a stream's manifests. */
  public static String prefix(StreamId stream) {
    return stream + "/manifests/";
  }

  /** The last sequence a manifest name stands for, if it is a manifest name of {@code stream}. */
  public static Optional<Long> parseObjectName(StreamId stream, String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches() || !m.group(1).equals(stream.value())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(m.group(2)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A SHA-256 over the encoded manifest, for records that refer to it. */
  public byte[] hash() {
    return Sha256.digest(encode());
  }

  @Override
  public String toString() {
    return "ChainManifest[" + stream + " " + firstSequence + ".." + lastSequence() + ", camera "
        + Hex.format(cameraKeyId) + "]";
  }
}
