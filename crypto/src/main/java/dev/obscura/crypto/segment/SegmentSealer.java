package dev.obscura.crypto.segment;

import dev.obscura.core.Bytes;
import dev.obscura.core.EntropySource;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObjectWriter;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentSink;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.chunked.ChunkDecryptor;
import dev.obscura.crypto.chunked.ChunkEncryptor;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.security.Provider;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Seals plaintext media segments of one stream into a {@link SegmentStore}: the camera side of
 * the storage format ({@link SegmentFormat}).
 *
 * <p><b>Security guarantees:</b> each segment is encrypted with C2SP chunked encryption under
 * its own segment key ({@link SegmentKeys}), with the whole public header as context, so stream,
 * sequence, epoch, start time and the previous segment's digest are all authenticated. Sequence
 * numbers, salts and the hash chain are internal state: the caller never passes a nonce, a
 * sequence or a digest. Chunks are written to the store as they are sealed; the object becomes
 * visible only on commit, so a failure or crash leaves nothing half-written visible. {@link
 * #rotate} and {@link #close} destroy the epoch key they retire (forward secrecy on the camera).
 *
 * <p><b>Restrictions:</b> one sealer per stream and store at a time (two would fork the chain).
 * Building without {@link Builder#resumeFrom} refuses a stream that already has segments, so a
 * restart never overwrites footage. Resuming reads the whole last segment (bounded by the
 * largest sealed object {@link Builder#maxSegmentBytes} allows) to get its chain digest, which
 * covers every byte; when it is in the same epoch as the given key its key commitment is
 * checked, otherwise it is trusted
 * (a store that lies about it makes the chain visibly broken for readers, never silently
 * forged). The chain proves order and detects gaps between segments a
 * reader sees; that the newest segments were not dropped needs the signed hash chain.
 * Methods are synchronized; the per-chunk path does not lock or allocate beyond the JCA call.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * try (SegmentSealer sealer = SegmentSealer.builder()
 *     .resumeFrom(store)
 *     .stream(StreamId.of("front-door"))
 *     .epochKey(EpochKey.generate(stream, EpochId.of(0), EntropySource.system()))
 *     .build()) {
 *   for (MediaSegment s : segments) {
 *     sealer.seal(s);
 *   }
 * }
 * }</pre>
 */
public final class SegmentSealer implements SegmentSink {
  /** Default largest plaintext segment accepted: 256 MiB. */
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 256L << 20;

  private final SegmentStore store;
  private final StreamId stream;
  private final SealingSuite suite;
  private final EntropySource entropy;
  private final long maxSegmentBytes;
  private final ChunkEncryptor encryptor;
  private final byte[] head = new byte[ChunkedEncryption.HEADER_SIZE_BYTES];
  private final byte[] chunk = new byte[ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES];
  private final byte[] plain = new byte[ChunkedEncryption.CHUNK_SIZE_BYTES];
  private final SegmentKeys.Deriver keys;
  private SegmentWriter current;
  private final java.security.MessageDigest chain = SegmentFormat.newChainDigest();
  /** The open segment's key: derived at open, wiped as soon as the encryptor has its keys. */
  private final byte[] segmentKey;
  private final byte[] digest = new byte[SegmentHeader.DIGEST_LENGTH];
  private final byte[] nameScratch = new byte[SegmentFormat.OBJECT_NAME_MAX];
  private final byte[] previousDigest = new byte[SegmentHeader.DIGEST_LENGTH];
  private EpochKey epochKey;
  private long nextSequence;
  private boolean closed;

  private SegmentSealer(Builder b, long nextSequence, byte[] previousDigest) {
    this.store = b.store;
    this.stream = b.stream;
    this.suite = b.suite;
    this.entropy = b.entropy;
    this.maxSegmentBytes = b.maxSegmentBytes;
    this.epochKey = b.epochKey;
    this.encryptor = new ChunkEncryptor(suite.chunkedSuite(), b.provider);
    this.keys = new SegmentKeys.Deriver(b.provider);
    this.segmentKey = new byte[suite.segmentKeySizeBytes()];
    this.nextSequence = nextSequence;
    System.arraycopy(previousDigest, 0, this.previousDigest, 0, this.previousDigest.length);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SegmentSealer}; everything is validated in {@link #build()}. */
  public static final class Builder {
    private SegmentStore store;
    private StreamId stream;
    private EpochKey epochKey;
    private SealingSuite suite = SealingSuite.AES_256_GCM;
    private EntropySource entropy;
    private long maxSegmentBytes = DEFAULT_MAX_SEGMENT_BYTES;
    private boolean resume;
    private long headSequence = -1;
    private byte[] headDigest;
    private Provider provider;

    private Builder() {}

    /**
     * The JCA provider of the segment ciphers (AES-GCM) and HMACs (the segment keys' and the
     * chunks' HKDF); {@code null} (default) for the platform's preferred one (SunJCE on a stock
     * JDK, the platform's on Android). Looked up once, at {@link #build()}: the per-chunk path is
     * the same whichever provider it is. The chain digest (SHA-256) keeps the default.
     *
     * @param provider the provider, or {@code null}
     * @return this builder
     */
    public Builder provider(Provider provider) {
      this.provider = provider;
      return this;
    }

    /** The store to write to. The stream must have no segments yet (see {@link #resumeFrom}). */
    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The store to write to, continuing the stream's chain after its last stored segment if it
     * has any (reads only that segment's public header and commitment; no key needed).
     */
    public Builder resumeFrom(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      this.resume = true;
      return this;
    }

    /**
     * The store to write to, continuing the chain from a head the caller keeps itself (a camera's
     * own state), without reading the store: the next segment gets {@code nextSequence} and names
     * {@code previousDigest} (32 zero bytes for sequence 0). The store's listing is not believed.
     *
     * @throws IllegalArgumentException if {@code nextSequence} is negative or above {@link
     *     SegmentId#MAX_SEQUENCE} + 1, or the digest is not 32 bytes ({@code MAX_SEQUENCE + 1}: the
     *     stream used its last number, and every {@code open} refuses with {@link
     *     dev.obscura.core.CounterExhaustedException})
     */
    public Builder resumeAt(SegmentStore store, long nextSequence, byte[] previousDigest) {
      this.store = Objects.requireNonNull(store, "store");
      if (nextSequence < 0 || nextSequence > SegmentId.MAX_SEQUENCE + 1) {
        throw new IllegalArgumentException("next sequence must be 0..2^62+1");
      }
      if (previousDigest.length != SegmentHeader.DIGEST_LENGTH) {
        throw new IllegalArgumentException("a chain digest is " + SegmentHeader.DIGEST_LENGTH + " bytes");
      }
      this.headSequence = nextSequence;
      this.headDigest = previousDigest.clone();
      return this;
    }

    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /** The key of the current epoch; the sealer owns it from now on and destroys it. */
    public Builder epochKey(EpochKey epochKey) {
      this.epochKey = Objects.requireNonNull(epochKey, "epochKey");
      return this;
    }

    /** Default {@link SealingSuite#AES_256_GCM}. */
    public Builder suite(SealingSuite suite) {
      this.suite = Objects.requireNonNull(suite, "suite");
      return this;
    }

    /** Where salts come from. Default {@link EntropySource#system()}. */
    public Builder entropy(EntropySource entropy) {
      this.entropy = Objects.requireNonNull(entropy, "entropy");
      return this;
    }

    /** Largest plaintext segment accepted, in bytes. Default 256 MiB. */
    public Builder maxSegmentBytes(long maxSegmentBytes) {
      this.maxSegmentBytes = maxSegmentBytes;
      return this;
    }

    /**
     * @throws IllegalArgumentException or {@link IllegalStateException} for missing or
     *     inconsistent settings, a stream that has segments when not resuming, or a {@link
     *     #provider} that lacks AES-GCM or an HMAC
     * @throws IOException if the store cannot be listed or read
     * @throws MalformedDataException if the last stored segment's public part does not parse
     *     or, when resuming in the last segment's epoch, its key commitment does not match the
     *     given key (a wrong key for that epoch, or a forged head)
     */
    public SegmentSealer build() throws IOException, MalformedDataException {
      if (store == null || stream == null || epochKey == null) {
        throw new IllegalStateException("store, stream and epochKey are required");
      }
      if (!epochKey.stream().equals(stream)) {
        throw new IllegalArgumentException("epoch key is for stream " + epochKey.stream()
            + ", not " + stream);
      }
      if (epochKey.secret().isDestroyed()) {
        throw new IllegalArgumentException("epoch key was destroyed");
      }
      if (maxSegmentBytes < 0 || maxSegmentBytes > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("maxSegmentBytes must be 0..2^31-65");
      }
      if (entropy == null) {
        entropy = EntropySource.system();
      }
      if (headSequence >= 0) {
        return new SegmentSealer(this, headSequence, headDigest);
      }
      Optional<Last> last = lastSegment(store, stream, maxSealedBytes());
      if (!last.isPresent()) {
        return new SegmentSealer(this, 0, new byte[SegmentHeader.DIGEST_LENGTH]);
      }
      if (!resume) {
        throw new IllegalStateException("stream " + stream
            + " already has segments in the store; use resumeFrom(store) to continue it");
      }
      SegmentHeader h = last.get().head().header();
      if (epochKey.epoch().compareTo(h.epoch()) < 0) {
        throw new IllegalArgumentException("the stream's last segment is in " + h.epoch()
            + ", later than the given key's " + epochKey.epoch());
      }
      if (h.sequence() >= SegmentId.MAX_SEQUENCE) {
        throw new dev.obscura.core.CounterExhaustedException(dev.obscura.core.CounterExhaustedException.Counter.SEGMENT_SEQUENCE,
            "stream " + stream + " has reached the last sequence"
            + " number (2^62); it cannot be continued");
      }
      verifyLast(last.get(), epochKey, provider);
      return new SegmentSealer(this, Math.addExact(h.sequence(), 1), last.get().head().digest());
    }

    /** The largest sealed object a plaintext of at most maxSegmentBytes makes. */
    private long maxSealedBytes() {
      return SegmentHeader.MAX_LENGTH + ChunkedEncryption.ciphertextSize(maxSegmentBytes);
    }
  }

  /** The last stored segment of a stream: its head with digest and the raw salt || commitment. */
  private record Last(SealedSegmentHead head, byte[] trailer) {}

  /**
   * The last stored segment of {@code stream}, if any: read whole (at most {@code
   * maxSealedBytes}) for its chain digest, never buffered.
   */
  private static Optional<Last> lastSegment(SegmentStore store, StreamId stream,
      long maxSealedBytes) throws IOException, MalformedDataException {
    List<StoredObject> objects = store.list(ObjectNames.segmentPrefix(stream));
    SegmentId lastId = null;
    String lastName = null;
    for (StoredObject o : objects) {
      Optional<SegmentId> id = ObjectNames.parseSegment(o.name());
      if (id.isPresent() && id.get().stream().equals(stream)
          && (lastId == null || id.get().sequence() > lastId.sequence())) {
        lastId = id.get();
        lastName = o.name();
      }
    }
    if (lastId == null) {
      return Optional.empty();
    }
    SegmentHeader header;
    byte[] trailer;
    byte[] digest;
    try (InputStream in = store.open(lastName)) {
      header = SegmentFormat.readHeader(in);
      trailer = Bytes.readUpTo(in, SegmentFormat.PUBLIC_TRAILER_BYTES);
      if (trailer.length != SegmentFormat.PUBLIC_TRAILER_BYTES) {
        throw new MalformedDataException("last segment " + lastId + " is cut short in its header");
      }
      if (!header.segmentId().equals(lastId)) {
        throw new MalformedDataException("object " + lastName + " holds segment "
            + header.segmentId() + ", not " + lastId);
      }
      digest = SegmentFormat.digestRest(header, trailer, in, maxSealedBytes);
    }
    byte[] commitment = java.util.Arrays.copyOfRange(trailer, ChunkedEncryption.SALT_SIZE_BYTES,
        trailer.length);
    return Optional.of(new Last(new SealedSegmentHead(header, commitment, digest), trailer));
  }

  /**
   * When the last segment is in the epoch we continue with, its header and commitment can be
   * authenticated cheaply (key commitment only, no chunk decrypted): this catches a wrong key for
   * the epoch and a store that forged the last head.
   */
  private static void verifyLast(Last last, EpochKey key, Provider provider)
      throws MalformedDataException {
    SegmentHeader h = last.head().header();
    if (!h.epoch().equals(key.epoch())) {
      return; // another epoch's key: a forged head can only break the chain visibly
    }
    SealingSuite suite = SealingSuite.fromId(h.suite());
    SecretBytes segmentKey = new SegmentKeys.Deriver(provider).derive(key, h.segmentId(), suite);
    ChunkDecryptor check = new ChunkDecryptor(suite.chunkedSuite(), provider);
    try {
      check.start(segmentKey, h.toBytes(), last.trailer(), 0);
    } catch (KeyMismatchException e) {
      throw new MalformedDataException("last stored segment " + h.segmentId() + " does not"
          + " authenticate under the given key for " + h.epoch() + " (wrong key or forged head)");
    } finally {
      check.destroy();
      segmentKey.destroy();
    }
  }

  /**
   * Seals one whole segment and commits it to the store: {@link #open} with the segment's start
   * time and duration, {@link SegmentWriter#write} of its data, {@link SegmentWriter#finish}.
   *
   * @throws IllegalArgumentException if the segment is larger than the configured maximum, or
   *     its duration is above {@link SegmentHeader#MAX_DURATION_MICROS}
   * @throws IllegalStateException if the sealer is closed, a segment is open, or the stream has
   *     used its last sequence number ({@link SegmentId#MAX_SEQUENCE}): it never wraps (a {@link
   *     dev.obscura.core.CounterExhaustedException})
   * @throws IOException if the store fails; nothing was committed and the sequence number is not
   *     used up, so the same segment can be sealed again
   */
  public SealedSegmentInfo seal(MediaSegment segment) throws IOException {
    Objects.requireNonNull(segment, "segment");
    byte[] data = segment.data();
    if (data.length > maxSegmentBytes) {
      throw new IllegalArgumentException("segment of " + data.length
          + " bytes exceeds the maximum of " + maxSegmentBytes);
    }
    try (SegmentWriter w = open(segment.startTime(), segment.durationMicros())) {
      w.write(data, 0, data.length);
      return w.finish();
    }
  }

  /**
   * Opens the next segment of the stream for writing: its header (sequence, epoch, start time,
   * duration, previous digest) is fixed now, because the whole header is the context of the
   * segment's encryption; frames are then written as they arrive and sealed 16 KiB at a time
   * (see {@link SegmentWriter}). Only one segment is open at a time.
   *
   * @param startTime the segment's start time (microsecond precision is kept)
   * @param durationMicros the segment's media duration, 0..{@link SegmentHeader#MAX_DURATION_MICROS}
   * @return the open segment; the caller must {@link SegmentWriter#finish} or {@link
   *     SegmentWriter#close} it (closing an unfinished one aborts it: nothing is stored and the
   *     sequence number is not used up)
   * @throws IllegalArgumentException if the duration is out of range
   * @throws IllegalStateException if the sealer is closed, a segment is already open, or the
   *     stream has used its last sequence number (a {@link dev.obscura.core.CounterExhaustedException})
   * @throws IOException if the store cannot create the object
   */
  public synchronized SegmentWriter open(java.time.Instant startTime, long durationMicros)
      throws IOException {
    Objects.requireNonNull(startTime, "startTime");
    if (closed) {
      throw new IllegalStateException("sealer is closed");
    }
    if (current != null) {
      throw new IllegalStateException("a segment is open: finish or close it first");
    }
    if (durationMicros < 0 || durationMicros > SegmentHeader.MAX_DURATION_MICROS) {
      throw new IllegalArgumentException("segment duration of " + durationMicros
          + " us is outside 0.." + SegmentHeader.MAX_DURATION_MICROS);
    }
    if (!SegmentId.isValidSequence(nextSequence)) {
      throw new dev.obscura.core.CounterExhaustedException(dev.obscura.core.CounterExhaustedException.Counter.SEGMENT_SEQUENCE,
          "stream " + stream + " has used its last sequence number"
          + " (2^62); refusing to continue");
    }
    SegmentId id = new SegmentId(stream, nextSequence);
    SegmentHeader header = new SegmentHeader(suite.id(), id, epochKey.epoch(),
        startTime, durationMicros, previousDigest);
    byte[] headerBytes = header.toBytes();
    String name = SegmentFormat.objectName(stream, id.sequence(), nameScratch);
    ObjectWriter out = store.create(name);
    boolean ok = false;
    try {
      keys.deriveInto(epochKey, stream, id.sequence(), suite, segmentKey);
      chain.reset();
      chain.update(SegmentFormat.CHAIN_LABEL);
      out.write(headerBytes);
      chain.update(headerBytes);
      encryptor.start(segmentKey, headerBytes, entropy, head, 0);
      out.write(head);
      chain.update(head);
      current = new SegmentWriter(this, header, name, out, headerBytes.length);
      ok = true;
      return current;
    } finally {
      java.util.Arrays.fill(segmentKey, (byte) 0);
      if (!ok) {
        encryptor.destroy();
        out.close(); // uncommitted: aborts
      }
    }
  }

  // ---- the open segment's hot path: called by SegmentWriter only, without locking ----

  /** Seals one full chunk of {@code in} into the store and the chain. */
  void sealFull(ObjectWriter out, byte[] in, int off) throws IOException {
    int n = encryptor.sealChunk(in, off, ChunkedEncryption.CHUNK_SIZE_BYTES, chunk, 0);
    out.write(chunk, 0, n);
    chain.update(chunk, 0, n);
  }

  /** The reused 16 KiB plaintext buffer of the open segment. */
  byte[] plainBuffer() {
    return plain;
  }

  /**
   * The largest plaintext segment this sealer accepts ({@link Builder#maxSegmentBytes}).
   *
   * @return the bound in bytes
   */
  public long maxSegmentBytes() {
    return maxSegmentBytes;
  }

  /** Seals the final chunk, commits, and advances the chain. */
  synchronized SealedSegmentInfo commit(SegmentWriter w, ObjectWriter out, int finalLen,
      long plaintextBytes) throws IOException {
    int n = encryptor.sealFinalChunk(plain, 0, finalLen, chunk, 0);
    out.write(chunk, 0, n);
    chain.update(chunk, 0, n);
    try {
      chain.digest(digest, 0, digest.length);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
    out.commit();
    System.arraycopy(digest, 0, previousDigest, 0, digest.length);
    nextSequence = Math.addExact(nextSequence, 1);
    long sealedSize = w.headerLength() + ChunkedEncryption.ciphertextSize(plaintextBytes);
    return new SealedSegmentInfo(w.header(), w.objectName(), sealedSize, plaintextBytes, digest);
  }

  /** Ends the open segment (committed or not): wipes the key and buffers. */
  synchronized void release(SegmentWriter w, int plainUsed) {
    if (current == w) {
      current = null;
      encryptor.destroy();
      java.util.Arrays.fill(plain, 0, plainUsed, (byte) 0); // the chunk buffer holds ciphertext only
    }
  }

  /** Same as {@link #seal}. */
  @Override
  public void accept(MediaSegment segment) throws IOException {
    seal(segment);
  }

  /**
   * Switches to the next epoch's key for all later segments, and destroys the current one.
   *
   * @throws IllegalArgumentException if {@code next} is not for this stream or not a later epoch
   */
  public synchronized void rotate(EpochKey next) {
    Objects.requireNonNull(next, "next");
    if (closed) {
      throw new IllegalStateException("sealer is closed");
    }
    if (!next.stream().equals(stream)) {
      throw new IllegalArgumentException("epoch key is for stream " + next.stream());
    }
    if (next.epoch().compareTo(epochKey.epoch()) <= 0) {
      throw new IllegalArgumentException(
          "next epoch must be later than " + epochKey.epoch() + ", got " + next.epoch());
    }
    EpochKey old = epochKey;
    epochKey = next;
    old.destroy();
  }

  /** The sequence number the next segment gets. */
  public synchronized long nextSequence() {
    return nextSequence;
  }

  public StreamId stream() {
    return stream;
  }

  public SealingSuite suite() {
    return suite;
  }

  /** Destroys the current epoch key; later seals fail. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (current != null) {
        current.abort();
      }
      epochKey.destroy();
      encryptor.destroy();
    }
  }

  @Override
  public String toString() {
    return "SegmentSealer[" + stream + ", next #" + nextSequence + ", " + suite
        + (closed ? ", closed" : "") + "]";
  }
}
