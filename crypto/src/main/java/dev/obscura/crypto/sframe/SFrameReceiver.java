package dev.obscura.crypto.sframe;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import java.security.Provider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import javax.crypto.AEADBadTagException;

/**
 * Opens the SFrame ciphertexts (RFC 9605) of one stream: picks the epoch's key by the KID in the
 * header, refuses replays with a sliding window per epoch, and verifies before it releases
 * anything.
 *
 * <p><b>Security guarantees:</b>
 *
 * <ul>
 *   <li>A frame is released only if it authenticates under the key of its epoch of this stream:
 *       a frame modified in header, ciphertext, tag or metadata, or sealed for another stream or
 *       epoch, fails with {@link TamperedFrameException}, and no byte of its plaintext is left in
 *       the output buffer.
 *   <li>Each (epoch, CTR) is accepted at most once. Frames may arrive out of order within the
 *       replay window ({@link Builder#replayWindowFrames}, 1024 by default); a duplicate, or a
 *       frame older than the window, fails with {@link ReplayedFrameException} before decryption.
 *       Only authenticated frames move the window, so forgeries cannot push genuine frames out.
 *   <li>An epoch that was removed cannot be added back, so its replay state cannot be reset.
 * </ul>
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>Not thread-safe, and lock-free: confine a receiver to one thread.
 *   <li>It holds at most {@link Builder#maxEpochs} keys; adding one more forgets (and retires)
 *       the lowest epoch.
 *   <li>Short-tag suites are refused unless {@link Builder#allowShortTags()} is called (see
 *       {@link SFrameCipherSuite}); the receiver is the side a forger attacks.
 *   <li>The cipher suite is not in the header; both sides must be configured alike.
 * </ul>
 *
 * <p><b>Buffer ownership:</b> the buffer methods read their input only during the call and write
 * only {@code out[outOffset, outOffset + n)}; they keep no reference. Output must not overlap
 * input.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * SFrameReceiver receiver = SFrameReceiver.builder(StreamId.of("front-door")).build();
 * receiver.addEpochKey(resolver.resolve(stream, epoch));
 * EncodedFrame frame = receiver.openFrame(sealed);   // or a typed ObscuraException
 * }</pre>
 */
public final class SFrameReceiver implements AutoCloseable {
  /** Default replay window, in frames. */
  public static final int DEFAULT_REPLAY_WINDOW = 1024;
  /** Largest replay window, in frames. */
  public static final int MAX_REPLAY_WINDOW = 1 << 16;
  /** Default number of epoch keys held at once. */
  public static final int DEFAULT_MAX_EPOCHS = 4;

  private final StreamId stream;
  private final SFrameCipherSuite suite;
  private final int windowSize;
  private final int maxEpochs;
  private final Provider provider;
  private final Entry[] entries;
  private final Set<Long> retired = new HashSet<>();
  private final long[] kidCtr = new long[2];
  private int count;
  private boolean closed;

  private static final class Entry {
    final long kid;
    final SFrameContext context;
    final ReplayWindow window;

    Entry(long kid, SFrameContext context, ReplayWindow window) {
      this.kid = kid;
      this.context = context;
      this.window = window;
    }
  }

  private SFrameReceiver(Builder b) {
    this.stream = b.stream;
    this.suite = b.suite;
    this.windowSize = b.window;
    this.maxEpochs = b.maxEpochs;
    this.provider = b.provider;
    this.entries = new Entry[b.maxEpochs];
  }

  /** A builder for a receiver of {@code stream}. */
  public static Builder builder(StreamId stream) {
    return new Builder(stream);
  }

  /** Configuration of an {@link SFrameReceiver}; validated in {@link #build()}. */
  public static final class Builder {
    private final StreamId stream;
    private SFrameCipherSuite suite = SFrameCipherSuite.DEFAULT;
    private int window = DEFAULT_REPLAY_WINDOW;
    private int maxEpochs = DEFAULT_MAX_EPOCHS;
    private boolean allowShortTags;
    private Provider provider;

    private Builder(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
    }

    /**
     * The JCA provider of the suite's cipher and HMAC; {@code null} (default) for the platform's
     * preferred one. Looked up once per epoch key, at {@link SFrameReceiver#addEpochKey}, never
     * per frame. It opens what a sender on any provider sealed.
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

    /** Replay window in frames: a positive multiple of 64, at most {@link #MAX_REPLAY_WINDOW}. */
    public Builder replayWindowFrames(int frames) {
      this.window = frames;
      return this;
    }

    /** How many epoch keys to hold at once (1 to 64); 4 by default. */
    public Builder maxEpochs(int epochs) {
      this.maxEpochs = epochs;
      return this;
    }

    /**
     * <b>Weakens authenticity.</b> Accepts suites whose tag is shorter than 128 bits; a forger
     * then needs about 2<sup>32</sup> attempts for a 32-bit tag (RFC 9605 section 7.5). Call it
     * only for interoperability with a sender that cannot use a 128-bit suite.
     */
    public Builder allowShortTags() {
      this.allowShortTags = true;
      return this;
    }

    /**
     * @throws IllegalStateException if the suite has a short tag and {@link #allowShortTags()}
     *     was not called, a size is out of range, or the {@link #provider} lacks a primitive of
     *     the suite (checked now, so that no frame fails for it later)
     */
    public SFrameReceiver build() {
      if (suite.hasShortTag() && !allowShortTags) {
        throw new IllegalStateException(suite + " has a " + suite.tagBytes() * 8
            + "-bit tag; refused unless allowShortTags() is called (RFC 9605 section 7.5)");
      }
      if (window < 64 || window > MAX_REPLAY_WINDOW || window % 64 != 0) {
        throw new IllegalStateException("replay window must be a multiple of 64, 64 to " + MAX_REPLAY_WINDOW);
      }
      if (maxEpochs < 1 || maxEpochs > 64) {
        throw new IllegalStateException("maxEpochs must be 1 to 64");
      }
      SFrameAead.checkAvailable(suite, provider);
      return new SFrameReceiver(this);
    }
  }

  public StreamId stream() {
    return stream;
  }

  public SFrameCipherSuite cipherSuite() {
    return suite;
  }

  /**
   * Makes frames of {@code key}'s epoch openable. The key is read once and may be destroyed by
   * the caller afterwards. Adding an epoch that is already present does nothing (its replay
   * window is kept).
   *
   * @throws IllegalArgumentException if the key is for another stream
   * @throws IllegalStateException if the epoch was removed before (its replay state is gone)
   */
  public void addEpochKey(EpochKey key) {
    checkOpen();
    if (!key.stream().equals(stream)) {
      throw new IllegalArgumentException("epoch key is for another stream");
    }
    long kid = key.epoch().value();
    if (find(kid) != null) {
      return;
    }
    if (retired.contains(kid)) {
      throw new IllegalStateException("epoch " + kid + " was removed and cannot be added again");
    }
    SFrameContext ctx = SFrameContext.forEpoch(suite, key, provider);
    if (count == maxEpochs) {
      int lowest = 0;
      for (int i = 1; i < count; i++) {
        if (entries[i].kid < entries[lowest].kid) {
          lowest = i;
        }
      }
      removeAt(lowest);
    }
    entries[count++] = new Entry(kid, ctx, new ReplayWindow(windowSize));
  }

  /** Forgets the key and replay window of {@code epoch}; it cannot be added again. */
  public boolean removeEpoch(EpochId epoch) {
    long kid = epoch.value();
    for (int i = 0; i < count; i++) {
      if (entries[i].kid == kid) {
        removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Whether the key of {@code epoch} is held. */
  public boolean hasEpoch(EpochId epoch) {
    return find(epoch.value()) != null;
  }

  /** Upper bound of the plaintext in an SFrame ciphertext of {@code sframeLength} bytes. */
  public int maxPlaintextLength(int sframeLength) {
    return Math.max(0, sframeLength - 1 - suite.tagBytes());
  }

  /**
   * Verifies and decrypts the SFrame ciphertext {@code in[offset, offset + length)} into
   * {@code out} at {@code outOffset}, with {@code metadata} as the extra associated data the
   * sender used (RFC 9605 section 9.4).
   *
   * @param metadata may be {@code null} if its length is 0
   * @return the plaintext length
   * @throws MalformedDataException if the header does not parse or the input is shorter than a
   *     header and a tag
   * @throws UnknownKeyIdException if no key is held for the header's KID (epoch)
   * @throws ReplayedFrameException if the (KID, CTR) was accepted before or is older than the
   *     window
   * @throws TamperedFrameException if authentication fails; {@code out} holds none of the plaintext
   * @throws IndexOutOfBoundsException if {@code out} has no room for the plaintext
   */
  public int open(byte[] in, int offset, int length, byte[] metadata, int metadataOffset,
      int metadataLength, byte[] out, int outOffset)
      throws MalformedDataException, UnknownKeyIdException, ReplayedFrameException,
          TamperedFrameException {
    checkOpen();
    Objects.checkFromIndexSize(offset, length, in.length);
    if (metadataLength != 0 || metadata != null) {
      Objects.checkFromIndexSize(metadataOffset, metadataLength, metadata.length);
    }
    int hLen = SFrameHeader.parse(in, offset, length, kidCtr);
    long kid = kidCtr[0];
    long ctr = kidCtr[1];
    int ptLen = length - hLen - suite.tagBytes();
    if (ptLen < 0) {
      throw new MalformedDataException("SFrame ciphertext shorter than header and tag");
    }
    Objects.checkFromIndexSize(outOffset, ptLen, out.length);
    Entry e = find(kid);
    if (e == null) {
      throw new UnknownKeyIdException(kid);
    }
    int verdict = e.window.check(ctr);
    if (verdict != 0) {
      throw new ReplayedFrameException(kid, ctr, verdict == 2);
    }
    int n;
    try {
      n = e.context.open(ctr, hLen, in, offset, length, metadata, metadataOffset,
          metadataLength, out, outOffset);
    } catch (AEADBadTagException x) {
      throw new TamperedFrameException("SFrame frame failed authentication: stream " + stream
          + ", kid " + Long.toUnsignedString(kid) + ", ctr " + Long.toUnsignedString(ctr));
    }
    e.window.accept(ctr);
    return n;
  }

  /** {@link #open(byte[], int, int, byte[], int, int, byte[], int)} without metadata. */
  public int open(byte[] in, int offset, int length, byte[] out, int outOffset)
      throws MalformedDataException, UnknownKeyIdException, ReplayedFrameException,
          TamperedFrameException {
    return open(in, offset, length, null, 0, 0, out, outOffset);
  }

  /** Opens a whole SFrame ciphertext without metadata; returns the plaintext as a new array. */
  public byte[] open(byte[] sframe)
      throws MalformedDataException, UnknownKeyIdException, ReplayedFrameException,
          TamperedFrameException {
    byte[] buf = new byte[maxPlaintextLength(sframe.length)];
    int n = open(sframe, 0, sframe.length, null, 0, 0, buf, 0);
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  /**
   * Opens a frame sealed by {@link SFrameSender#seal(EncodedFrame)}: the presentation time and
   * keyframe flag come back authenticated. The capture time is dropped: a live viewer should use
   * {@link #openLiveFrame} and check it.
   *
   * @throws MalformedDataException also if the authenticated plaintext is not a version-2 live
   *     frame (the frame still counts as received for replay purposes)
   */
  public EncodedFrame openFrame(byte[] sframe)
      throws MalformedDataException, UnknownKeyIdException, ReplayedFrameException,
          TamperedFrameException {
    return openLiveFrame(sframe).frame();
  }

  /**
   * Opens a frame sealed by {@link SFrameSender#seal(EncodedFrame, long)}: the frame and its
   * authenticated capture time, as new arrays (a decorator over {@link #openLiveFrame(byte[],
   * int, int, LiveFrameBuffer)}, the allocation-free buffer path). This receiver does not judge freshness; the caller compares
   * {@link LiveFrame#age} with its own clock (docs/spec/live-sframe-v1.md section 6).
   *
   * @throws MalformedDataException also if the authenticated plaintext is not a version-2 live
   *     frame, or is a cover frame (section 5.2: no video; the buffer path marks covers, {@link
   *     LiveFrameBuffer#cover()}) (the frame still counts as received for replay purposes)
   */
  public LiveFrame openLiveFrame(byte[] sframe)
      throws MalformedDataException, UnknownKeyIdException, ReplayedFrameException,
          TamperedFrameException {
    LiveFrameBuffer buf = new LiveFrameBuffer(Math.max(0, maxPlaintextLength(sframe.length) - LiveFrame.PREFIX_BYTES));
    try {
      openLiveFrame(sframe, 0, sframe.length, buf);
      if (buf.cover()) {
        throw new MalformedDataException("live frame: a cover frame carries no video");
      }
      return buf.toLiveFrame();
    } finally {
      buf.clear();
    }
  }

  /**
   * Opens a live frame sealed by {@link SFrameSender#sealLiveFrame} (or {@link
   * SFrameSender#seal(EncodedFrame, long)}) from {@code in[offset, offset + length)} into {@code
   * into}, allocating nothing once {@code into} is large enough: the buffer path of a viewer. The
   * checks are those of {@link #open(byte[], int, int, byte[], int, int, byte[], int)}, then the
   * live-frame prefix's. This receiver does not judge freshness: compare {@link
   * LiveFrameBuffer#capturedWithin} with your clock.
   *
   * @param in the SFrame ciphertext's array; read during the call only
   * @param offset where the ciphertext starts
   * @param length its length
   * @param into where the frame goes (grown if too small); on any failure it holds no frame and
   *     none of the plaintext
   * @throws MalformedDataException if the header does not parse, the input is too short, or the
   *     authenticated plaintext is not a version-2 live frame, or is padded (flag bit 1) with a
   *     padding length that does not fit or nonzero padding bytes (the frame still counts as
   *     received for replay purposes), or is a cover frame (flag bit 2, section 5.2) that is not
   *     padded, is a keyframe or carries bytes; the padding of a good frame is stripped, and a
   *     good cover frame comes back empty with {@link LiveFrameBuffer#cover()} set
   * @throws UnknownKeyIdException if no key is held for the header's KID (epoch)
   * @throws ReplayedFrameException if the (KID, CTR) was accepted before or is older than the
   *     window
   * @throws TamperedFrameException if authentication fails
   * @throws IndexOutOfBoundsException if the range lies outside {@code in}
   */
  public void openLiveFrame(byte[] in, int offset, int length, LiveFrameBuffer into)
      throws MalformedDataException, UnknownKeyIdException, ReplayedFrameException,
          TamperedFrameException {
    into.forget();
    Objects.checkFromIndexSize(offset, length, in.length);
    into.ensurePlaintextCapacity(maxPlaintextLength(length));
    byte[] pt = into.array;
    int n = open(in, offset, length, null, 0, 0, pt, 0);
    int flags;
    int frameLength;
    try {
      flags = LiveFrame.checkPrefix(pt, 0, n);
      frameLength = LiveFrame.frameLength(pt, n, flags);
    } catch (MalformedDataException x) {
      Arrays.fill(pt, 0, n, (byte) 0);
      throw x;
    }
    if (frameLength < n - LiveFrame.PREFIX_BYTES) { // padded: the padding is not the caller's
      Arrays.fill(pt, LiveFrame.PREFIX_BYTES + frameLength, n, (byte) 0);
    }
    into.length = frameLength;
    into.keyframe = (flags & LiveFrame.FLAG_KEYFRAME) != 0;
    into.cover = (flags & LiveFrame.FLAG_COVER) != 0;
    into.presentationMicros = LiveFrame.getLong(pt, 2);
    into.captureMicros = LiveFrame.getLong(pt, 10);
    into.kid = kidCtr[0];
    into.counter = kidCtr[1];
  }

  /** Wipes every derived key. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      while (count > 0) {
        removeAt(count - 1);
      }
    }
  }

  private Entry find(long kid) {
    for (int i = 0; i < count; i++) {
      if (entries[i].kid == kid) {
        return entries[i];
      }
    }
    return null;
  }

  private void removeAt(int i) {
    Entry e = entries[i];
    e.context.destroy();
    retired.add(e.kid);
    entries[i] = entries[count - 1];
    entries[--count] = null;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("receiver is closed");
    }
  }

  @Override
  public String toString() {
    return "SFrameReceiver[" + stream + ", " + suite + ", " + count + " epochs]";
  }
}
