package dev.obscura.crypto.sframe;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.FrameSource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import java.io.IOException;
import java.security.Provider;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;

/**
 * Seals the live frames of one stream with SFrame (RFC 9605), under a base key derived from the
 * current epoch key. The KID in every header is the epoch number, so a receiver picks the key
 * from the header; the CTR comes from a counter that is persisted before use.
 *
 * <p><b>Security guarantees:</b>
 *
 * <ul>
 *   <li>Confidentiality and integrity of each frame, and integrity of its header (KID, CTR) and
 *       of the caller's metadata, under the cipher suite's AEAD.
 *   <li>No (key, nonce) pair is ever used twice: the CTR only grows, for the life of the stream
 *       and across epochs, and a block of counters is durably reserved in the {@link CounterStore}
 *       before any of them is used. After a crash the sender resumes above the stored mark.
 *   <li>Frames are bound to their stream and epoch: the base key is
 *       HKDF-SHA-256(epoch key, info = "obscura/v1 sframe base key" || u8 len || stream id ||
 *       u64be epoch), a label no other Obscura key uses.
 * </ul>
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>Not thread-safe, and deliberately lock-free: confine a sender to one thread (the
 *       encoder's output). Sharing it between threads can reuse nonces.
 *   <li>One sender per stream and per counter store; the RFC forbids two senders on one key.
 *   <li>Suites with tags shorter than 128 bits (0x0001-0x0003, 0x0006-0x0008) are refused unless
 *       {@link Builder#allowShortTags()} is called: a 32-bit tag is forged by brute force in about
 *       an hour at a gigabit (RFC 9605 section 7.5), and a camera feed is exactly what an attacker
 *       on the relay would want to forge.
 *   <li>The CTR is public in the header: it reveals how many frames the stream has sent.
 *   <li>The sender never wipes the {@link EpochKey}; it keeps only derived keys, wiped on
 *       {@link #rotate} and {@link #close} (best effort: the JCA provider keeps its own copy until
 *       the cipher is collected).
 * </ul>
 *
 * <p><b>Buffer ownership:</b> the buffer methods ({@link #sealLiveFrame}, {@link #seal(byte[], int,
 * int, byte[], int)}) read the plaintext and metadata only during the call and write only {@code
 * out[outOffset, outOffset + n)}; they keep no reference to any array, so one output buffer can be
 * reused for every frame. Output must not overlap input.
 *
 * <p><b>Hot path:</b> one reused {@code Cipher} per epoch key (keys derived once, at build and
 * {@link #rotate}); per frame only the header and nonce are computed and the cipher is called
 * (one {@code updateAAD}, the header; metadata, if any, is composed after it in a reused array);
 * no allocation on the buffer path beyond what the JCA provider's {@code init} does, no logging,
 * no locking; counters are reserved durably in blocks ({@link Builder#counterBlockSize}, 1024
 * by default), so the {@link CounterStore} is written once per block, not per frame.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * try (FileCounterStore counters = FileCounterStore.open(stateDir.resolve("front-door.ctr"));
 *     SFrameSender sender = SFrameSender.builder(epochKey, counters).build()) {
 *   byte[] out = new byte[sender.maxSealedLiveFrameLength(maxFrameBytes)];   // reused for every frame
 *   int n = sender.sealLiveFrame(frame, captureMicros, out, 0);                // header || ciphertext || tag
 *   relay.send(out, 0, n);
 * }
 * }</pre>
 */
public final class SFrameSender implements AutoCloseable {
  /** Default number of counters reserved per write to the {@link CounterStore}. */
  public static final int DEFAULT_COUNTER_BLOCK = 1024;
  /** Largest counter block: a crash skips at most this many counters. */
  public static final int MAX_COUNTER_BLOCK = 1 << 20;

  private final SFrameCipherSuite suite;
  private final CounterStore counters;
  private final int counterBlock;
  private final StreamId stream;
  private final Clock clock;
  private final Provider provider;
  private EpochId epoch;
  private SFrameContext context;
  private long next;
  private long reservedEnd;
  private boolean closed;
  /** Frame || padding || trailer of a padded frame; wiped after each use. */
  private byte[] padScratch = new byte[0];
  private static final byte[] NO_BYTES = new byte[0];

  private SFrameSender(Builder b, long start) {
    this.suite = b.suite;
    this.counters = b.counters;
    this.counterBlock = b.counterBlock;
    this.stream = b.epochKey.stream();
    this.clock = b.clock;
    this.provider = b.provider;
    this.epoch = b.epochKey.epoch();
    this.context = SFrameContext.forEpoch(suite, b.epochKey, provider);
    this.next = start;
    this.reservedEnd = start;
  }

  /** A builder for a sender that starts with {@code epochKey}, its counter kept in {@code counters}. */
  public static Builder builder(EpochKey epochKey, CounterStore counters) {
    return new Builder(epochKey, counters);
  }

  /** Configuration of an {@link SFrameSender}; validated in {@link #build()}. */
  public static final class Builder {
    private final EpochKey epochKey;
    private final CounterStore counters;
    private SFrameCipherSuite suite = SFrameCipherSuite.DEFAULT;
    private int counterBlock = DEFAULT_COUNTER_BLOCK;
    private boolean allowShortTags;
    private Clock clock = Clock.systemUTC();
    private Provider provider;

    private Builder(EpochKey epochKey, CounterStore counters) {
      this.epochKey = Objects.requireNonNull(epochKey, "epochKey");
      this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * The JCA provider of the suite's cipher (AES-GCM, or AES-CTR) and HMAC (the key schedule's
     * HKDF and the CTR suites' tag); {@code null} (default) for the platform's preferred one
     * (SunJCE on a stock JDK, the platform's on Android). Looked up once per epoch key, at
     * {@link #build()} and {@link SFrameSender#rotate}, never per frame. The receiver may use any
     * provider: the ciphertext is the same.
     *
     * @param provider the provider, or {@code null}
     * @return this builder
     */
    public Builder provider(Provider provider) {
      this.provider = provider;
      return this;
    }

    /** The cipher suite; {@link SFrameCipherSuite#DEFAULT} (AES_128_GCM_SHA256_128) if not set. */
    public Builder cipherSuite(SFrameCipherSuite suite) {
      this.suite = Objects.requireNonNull(suite, "suite");
      return this;
    }

    /**
     * The camera's wall clock, read by {@link SFrameSender#seal(EncodedFrame)} to stamp each live
     * frame with its capture time; the system UTC clock if not set.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How many counters to reserve per durable write, 1 to {@link #MAX_COUNTER_BLOCK}. Larger
     * blocks mean fewer writes and more counters skipped after a crash.
     */
    public Builder counterBlockSize(int frames) {
      this.counterBlock = frames;
      return this;
    }

    /**
     * <b>Weakens authenticity.</b> Permits suites whose tag is shorter than 128 bits (80, 64 or
     * 32 bits). Each forgery attempt then succeeds with probability 2<sup>-80</sup>,
     * 2<sup>-64</sup> or 2<sup>-32</sup>; RFC 9605 section 7.5 asks for hop-by-hop security and
     * rate monitoring to compensate. Call it only for interoperability with a peer that cannot
     * use a 128-bit suite.
     */
    public Builder allowShortTags() {
      this.allowShortTags = true;
      return this;
    }

    /**
     * Loads the counter high-water mark and builds the sender.
     *
     * @throws IOException if the counter store cannot be read
     * @throws IllegalStateException if the suite has a short tag and {@link #allowShortTags()}
     *     was not called, the counter block is out of range, or the {@link #provider} lacks a
     *     primitive of the suite
     */
    public SFrameSender build() throws IOException {
      if (suite.hasShortTag() && !allowShortTags) {
        throw new IllegalStateException(suite + " has a " + suite.tagBytes() * 8
            + "-bit tag; refused unless allowShortTags() is called (RFC 9605 section 7.5)");
      }
      if (counterBlock < 1 || counterBlock > MAX_COUNTER_BLOCK) {
        throw new IllegalStateException("counter block must be 1 to " + MAX_COUNTER_BLOCK);
      }
      if (epochKey.secret().isDestroyed()) {
        throw new IllegalStateException("epoch key was destroyed");
      }
      long start = counters.load();
      if (start < 0) {
        throw new IOException("counter store returned a negative high-water mark");
      }
      return new SFrameSender(this, start);
    }
  }

  public SFrameCipherSuite cipherSuite() {
    return suite;
  }

  public StreamId stream() {
    return stream;
  }

  /** The epoch whose key seals the next frame; also the KID of its header. */
  public EpochId epoch() {
    return epoch;
  }

  /**
   * Exact length of the next SFrame ciphertext for {@code plaintextBytes} of plaintext (raw
   * buffer API, no metadata in the output): header, ciphertext and tag.
   */
  public int sealedLength(int plaintextBytes) {
    return context.sealedLength(next, plaintextBytes);
  }

  /** Upper bound of an SFrame ciphertext for {@code plaintextBytes}: a 17-byte header is assumed. */
  public int maxSealedLength(int plaintextBytes) {
    return SFrameHeader.MAX_LENGTH + plaintextBytes + suite.tagBytes();
  }

  /**
   * Seals {@code plaintext[offset, offset + length)} as one SFrame ciphertext (header || ciphertext
   * || tag) into {@code out} at {@code outOffset}, authenticating {@code metadata} too (RFC 9605
   * section 9.4: it is not sent; the receiver must present the same bytes). This is the raw
   * RFC 9605 payload, for interoperability: the plaintext is the caller's, unchanged.
   *
   * @param metadata bytes to authenticate but not send; may be {@code null} if its length is 0
   * @return the number of bytes written, {@link #sealedLength(int)}
   * @throws IOException if reserving a block of counters fails (nothing was sealed; retry later)
   * @throws IndexOutOfBoundsException if {@code out} has no room; see {@link #maxSealedLength}
   */
  public int seal(byte[] plaintext, int offset, int length, byte[] metadata, int metadataOffset,
      int metadataLength, byte[] out, int outOffset) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, plaintext.length);
    if (metadataLength != 0 || metadata != null) {
      Objects.checkFromIndexSize(metadataOffset, metadataLength, metadata.length);
    }
    Objects.checkFromIndexSize(outOffset, context.sealedLength(next, length), out.length);
    long ctr = takeCounter();
    return context.seal(ctr, metadata, metadataOffset, metadataLength, null, 0, 0,
        plaintext, offset, length, out, outOffset);
  }

  /** {@link #seal(byte[], int, int, byte[], int, int, byte[], int)} without metadata. */
  public int seal(byte[] plaintext, int offset, int length, byte[] out, int outOffset)
      throws IOException {
    return seal(plaintext, offset, length, null, 0, 0, out, outOffset);
  }

  /**
   * Seals one encoded frame as an Obscura live frame stamped with the sender's clock (the time it
   * is sealed) as its capture time: {@link #seal(EncodedFrame, long)} with {@code clock.instant()}.
   *
   * @return header || ciphertext || tag
   * @throws IOException if reserving a block of counters fails (nothing was sealed)
   */
  public byte[] seal(EncodedFrame frame) throws IOException {
    return seal(frame, LiveFrame.micros(clock.instant()));
  }

  /**
   * Seals one encoded frame as an Obscura live frame (docs/spec/live-sframe-v1.md section 5): the
   * SFrame plaintext is an 18-byte prefix (version 2, flags with bit 0 = keyframe, presentation
   * time and capture time as i64 big-endian) followed by the frame's bytes, so the receiver gets
   * the times and the keyframe flag back authenticated ({@link SFrameReceiver#openLiveFrame}) and
   * can refuse a frame that is not fresh. A decorator over {@link #sealLiveFrame(long, boolean,
   * long, byte[], int, int, byte[], int)} that allocates exactly one array, the result; a camera
   * that sends many frames uses the buffer path instead.
   *
   * @param captureMicros the wall-clock time the frame was captured, microseconds since the Unix
   *     epoch (use it when the source knows the capture time; else {@link #seal(EncodedFrame)})
   * @return header || ciphertext || tag
   * @throws IOException if reserving a block of counters fails (nothing was sealed)
   */
  public byte[] seal(EncodedFrame frame, long captureMicros) throws IOException {
    checkOpen();
    byte[] data = frame.data();
    byte[] out = new byte[context.sealedLength(next, LiveFrame.PREFIX_BYTES + data.length)];
    int n = sealLiveFrame(frame.presentationMicros(), frame.keyframe(), captureMicros, data, 0,
        data.length, out, 0);
    assert n == out.length;
    return out;
  }

  /**
   * {@link #sealLiveFrame(long, boolean, long, byte[], int, int, byte[], int)} of a whole
   * {@link EncodedFrame} into a caller's buffer.
   *
   * @param frame the encoded frame (read during the call only)
   * @param captureMicros its wall-clock capture time, microseconds since the Unix epoch
   * @param out the buffer the SFrame ciphertext is written to
   * @param outOffset where in {@code out} it starts
   * @return the number of bytes written, {@link #sealedLiveFrameLength(int)}
   * @throws IOException if reserving a block of counters fails (nothing was sealed; retry later)
   * @throws IndexOutOfBoundsException if {@code out} has no room; see {@link #maxSealedLiveFrameLength}
   */
  public int sealLiveFrame(EncodedFrame frame, long captureMicros, byte[] out, int outOffset)
      throws IOException {
    byte[] data = frame.data();
    return sealLiveFrame(frame.presentationMicros(), frame.keyframe(), captureMicros, data, 0,
        data.length, out, outOffset);
  }

  /**
   * The buffer path of a live camera: seals {@code frame[offset, offset + length)} as one
   * Obscura live frame (the format of {@link #seal(EncodedFrame, long)}, byte for byte) into
   * {@code out} at {@code outOffset}, allocating nothing. The header is written into {@code out}
   * and is the whole associated data (one {@code updateAAD}); the live-frame prefix and the first
   * 14 frame bytes are encrypted as two whole AES blocks from a scratch array of the sender, and
   * the rest of the frame by one {@code doFinal} straight from {@code frame} into {@code out}, so
   * the frame is read once, by the cipher, and never copied.
   *
   * <p><b>Buffer ownership:</b> {@code frame} is read during the call only; only {@code
   * out[outOffset, outOffset + n)} is written, and the sender keeps no reference to either array,
   * so the caller may reuse {@code out} for the next frame as soon as it has handed the bytes on.
   * {@code out} must not overlap {@code frame}.
   *
   * @param presentationMicros the frame's presentation time, microseconds from the stream start
   * @param keyframe whether a decoder can start at this frame
   * @param captureMicros its wall-clock capture time, microseconds since the Unix epoch
   * @param frame the array holding the encoded frame
   * @param offset where the frame starts in {@code frame}
   * @param length the frame's length in bytes
   * @param out the buffer the SFrame ciphertext (header || ciphertext || tag) is written to
   * @param outOffset where in {@code out} it starts
   * @return the number of bytes written, {@link #sealedLiveFrameLength(int)}
   * @throws IOException if reserving a block of counters fails (nothing was sealed; retry later)
   * @throws IndexOutOfBoundsException if a range lies outside its array, or {@code out} has no
   *     room (nothing was sealed and no counter used); see {@link #maxSealedLiveFrameLength}
   */
  public int sealLiveFrame(long presentationMicros, boolean keyframe, long captureMicros,
      byte[] frame, int offset, int length, byte[] out, int outOffset) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, frame.length);
    if (length > Integer.MAX_VALUE - LiveFrame.PREFIX_BYTES - maxSealedLength(0)) {
      throw new IndexOutOfBoundsException("frame too large for one SFrame ciphertext");
    }
    Objects.checkFromIndexSize(outOffset, context.sealedLength(next, LiveFrame.PREFIX_BYTES + length),
        out.length);
    long ctr = takeCounter();
    return context.sealLive(ctr, presentationMicros, keyframe, captureMicros, frame, offset,
        length, out, outOffset);
  }

  /**
   * Seals one live frame padded inside the ciphertext (docs/spec/live-sframe-v1.md section 5.1)
   * so that the sealed frame is exactly {@code sealedLength} bytes: the plaintext is the frame,
   * then zero bytes, then their number as a u32be, with flag bit 1 set; {@link
   * SFrameReceiver#openLiveFrame} strips them, so the viewer gets exactly the frame. The frame is
   * copied once into a scratch array of the sender, wiped after sealing. A camera picks {@code
   * sealedLength} from its {@link dev.obscura.crypto.padding.PaddingPolicy}.
   *
   * @param presentationMicros the frame's presentation time, microseconds from the stream start
   * @param keyframe whether a decoder can start at this frame
   * @param captureMicros its wall-clock capture time, microseconds since the Unix epoch
   * @param frame the array holding the encoded frame
   * @param offset where the frame starts in {@code frame}
   * @param length the frame's length in bytes
   * @param sealedLength the sealed frame's exact length, at least {@link
   *     #minPaddedLiveFrameLength(int)}
   * @param out the buffer the SFrame ciphertext is written to
   * @param outOffset where in {@code out} it starts
   * @return the number of bytes written, {@code sealedLength}
   * @throws IOException if reserving a block of counters fails (nothing was sealed; retry later)
   * @throws IllegalArgumentException if {@code sealedLength} is below the minimum
   * @throws IndexOutOfBoundsException if a range lies outside its array, or {@code out} has no
   *     room (nothing was sealed and no counter used)
   */
  public int sealPaddedLiveFrame(long presentationMicros, boolean keyframe, long captureMicros,
      byte[] frame, int offset, int length, int sealedLength, byte[] out, int outOffset)
      throws IOException {
    return sealPadded(presentationMicros,
        LiveFrame.FLAG_PADDED | (keyframe ? LiveFrame.FLAG_KEYFRAME : 0), captureMicros, frame,
        offset, length, sealedLength, out, outOffset);
  }

  private int sealPadded(long presentationMicros, int flags, long captureMicros, byte[] frame,
      int offset, int length, int sealedLength, byte[] out, int outOffset) throws IOException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, frame.length);
    int min = minPaddedLiveFrameLength(length);
    if (sealedLength < min) {
      throw new IllegalArgumentException("a padded live frame of " + length + " bytes seals to at least "
          + min + " bytes, not " + sealedLength);
    }
    Objects.checkFromIndexSize(outOffset, sealedLength, out.length);
    int pad = sealedLength - min;
    int body = length + pad + LiveFrame.PAD_TRAILER_BYTES;
    if (padScratch.length < body) {
      Arrays.fill(padScratch, (byte) 0);
      padScratch = new byte[body];
    }
    System.arraycopy(frame, offset, padScratch, 0, length);
    Arrays.fill(padScratch, length, length + pad, (byte) 0);
    padScratch[body - 4] = (byte) (pad >>> 24);
    padScratch[body - 3] = (byte) (pad >>> 16);
    padScratch[body - 2] = (byte) (pad >>> 8);
    padScratch[body - 1] = (byte) pad;
    try {
      long ctr = takeCounter();
      return context.sealLive(ctr, presentationMicros, flags, captureMicros, padScratch, 0, body,
          out, outOffset);
    } finally {
      Arrays.fill(padScratch, 0, body, (byte) 0);
    }
  }

  /**
   * Seals a cover frame (docs/spec/live-sframe-v1.md section 5.2) of exactly {@code sealedLength}
   * bytes: a live frame with flag bits 1 (padded) and 2 (cover), no video, all padding, under the
   * current epoch key and the next counter like any frame, so its nonce is fresh and a provider
   * cannot tell it from a padded video frame of the same size. A pacing camera fills its schedule
   * with it; viewers authenticate it and drop it.
   *
   * @param captureMicros the time it is sent, microseconds since the Unix epoch (viewers check its
   *     freshness like any frame's)
   * @param sealedLength its exact sealed length, at least {@link #minPaddedLiveFrameLength(int)
   *     minPaddedLiveFrameLength(0)}
   * @param out the buffer the SFrame ciphertext is written to
   * @param outOffset where in {@code out} it starts
   * @return the number of bytes written, {@code sealedLength}
   * @throws IOException if reserving a block of counters fails (nothing was sealed; retry later)
   * @throws IllegalArgumentException if {@code sealedLength} is below the minimum
   * @throws IndexOutOfBoundsException if {@code out} has no room (nothing was sealed)
   */
  public int sealCoverFrame(long captureMicros, int sealedLength, byte[] out, int outOffset)
      throws IOException {
    return sealPadded(0L, LiveFrame.FLAG_PADDED | LiveFrame.FLAG_COVER, captureMicros,
        NO_BYTES, 0, 0, sealedLength, out, outOffset);
  }

  /**
   * The smallest sealed length of the next live frame of {@code frameBytes} when it is padded
   * ({@link #sealPaddedLiveFrame}): {@link #sealedLiveFrameLength(int)} plus the 4-byte padding
   * trailer.
   *
   * @param frameBytes the encoded frame's length
   * @return the smallest padded sealed length
   * @throws IndexOutOfBoundsException if the frame is too large for one SFrame ciphertext
   */
  public int minPaddedLiveFrameLength(int frameBytes) {
    if (frameBytes > Integer.MAX_VALUE - LiveFrame.PREFIX_BYTES - LiveFrame.PAD_TRAILER_BYTES
        - maxSealedLength(0)) {
      throw new IndexOutOfBoundsException("frame too large for one SFrame ciphertext");
    }
    return context.sealedLength(next, LiveFrame.PREFIX_BYTES + frameBytes + LiveFrame.PAD_TRAILER_BYTES);
  }

  /**
   * Exact length of the next live frame's SFrame ciphertext for a frame of {@code frameBytes}
   * ({@link #sealLiveFrame}): header, 18-byte live-frame prefix, frame, tag.
   *
   * @param frameBytes the encoded frame's length
   * @return the sealed length
   */
  public int sealedLiveFrameLength(int frameBytes) {
    return context.sealedLength(next, LiveFrame.PREFIX_BYTES + frameBytes);
  }

  /**
   * Upper bound of a live frame's SFrame ciphertext for a frame of {@code frameBytes}, whatever
   * the counter: size a reused output buffer with it.
   *
   * @param frameBytes the encoded frame's length
   * @return the largest sealed length
   */
  public int maxSealedLiveFrameLength(int frameBytes) {
    return maxSealedLength(LiveFrame.PREFIX_BYTES + frameBytes);
  }

  /**
   * Receives each frame sealed by {@link #sealAll}: the frame (for routing hints such as the
   * keyframe flag) and its SFrame ciphertext, which the consumer then owns.
   */
  @FunctionalInterface
  public interface SealedFrameConsumer {
    void accept(EncodedFrame frame, byte[] sealed) throws IOException;
  }

  /**
   * Stream-style convenience: pulls every frame from {@code source} until it ends, seals it with
   * {@link #seal(EncodedFrame)} and hands it to {@code sink}, on the calling thread. Does not
   * close the source.
   *
   * @return the number of frames sealed
   * @throws IOException from the source, the sink, or a counter reservation; frames sealed
   *     before it was thrown were delivered
   */
  public long sealAll(FrameSource source, SealedFrameConsumer sink)
      throws IOException {
    Objects.requireNonNull(sink, "sink");
    long n = 0;
    for (EncodedFrame f = source.next(); f != null; f = source.next()) {
      sink.accept(f, seal(f));
      n++;
    }
    return n;
  }

  /**
   * Switches to the key of a later epoch of the same stream. The counter carries on (it never
   * restarts), so no counter store reset is needed. The previous derived key is wiped.
   *
   * @throws IllegalArgumentException if the key is for another stream or not a later epoch
   */
  public void rotate(EpochKey nextKey) {
    checkOpen();
    if (!nextKey.stream().equals(stream)) {
      throw new IllegalArgumentException("epoch key is for another stream");
    }
    if (nextKey.epoch().compareTo(epoch) <= 0) {
      throw new IllegalArgumentException("epochs only move forward: " + nextKey.epoch()
          + " is not after " + epoch);
    }
    SFrameContext fresh = SFrameContext.forEpoch(suite, nextKey, provider);
    context.destroy();
    context = fresh;
    epoch = nextKey.epoch();
  }

  /** Wipes the derived key. Does not close the counter store (the caller owns it). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      context.destroy();
    }
  }

  /** The next unused counter; reserves (durably) a new block first when the current one is spent. */
  private long takeCounter() throws IOException {
    if (next == reservedEnd) {
      if (next == Long.MAX_VALUE) {
        throw new dev.obscura.core.CounterExhaustedException(dev.obscura.core.CounterExhaustedException.Counter.SFRAME_COUNTER,
            "SFrame counter exhausted for " + stream);
      }
      long end = next + Math.min(counterBlock, Long.MAX_VALUE - next);
      counters.store(end);
      reservedEnd = end;
    }
    return next++;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("sender is closed");
    }
  }

  @Override
  public String toString() {
    return "SFrameSender[" + stream + ", " + epoch + ", " + suite + "]";
  }
}
