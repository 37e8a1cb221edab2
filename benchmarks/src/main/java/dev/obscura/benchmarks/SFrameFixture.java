package dev.obscura.benchmarks;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.sframe.CounterStore;
import dev.obscura.crypto.sframe.LiveFrameBuffer;
import dev.obscura.crypto.sframe.SFrameCipherSuite;
import dev.obscura.crypto.sframe.SFrameHeader;
import dev.obscura.crypto.sframe.SFrameReceiver;
import dev.obscura.crypto.sframe.SFrameSender;
import java.io.IOException;
import java.util.Arrays;

/**
 * The SFrame side of a frame benchmark: one sender, one receiver, and for the open benchmarks a
 * pool of sealed frames.
 *
 * <p>Every call into the SFrame API sits in one small method ({@link #sealRaw}, {@link
 * #sealProduct}, {@link #openRaw}, {@link #openProduct}) so it can follow the API as it changes:
 * the "product" methods are the calls {@code LiveCamera.send} and {@code LiveViewer.accept} make.
 *
 * <p>Opening: a receiver refuses a replayed (KID, CTR), so the open benchmarks walk a pool of
 * distinct sealed frames ({@link #poolSize}) and build a fresh receiver each time the pool wraps;
 * that rebuild (key derivation, a {@code Cipher}) is amortized over the pool and shows in
 * {@code gc.alloc.rate.norm} as (its allocation / pool size), {@link #REBUILD_BYTES} / {@link
 * #poolSize}: about 1 B per op at 1 KiB frames, 6 B at 16 KiB, 25 B at 64 KiB. The raw open baselines walk a pool
 * of the same size, so both read their input from the same memory level.
 */
final class SFrameFixture {
  /** Capture time stamped on product-path frames: fixed, so no clock call is measured. */
  static final long CAPTURE_MICROS = 1_700_000_000_000_000L;

  /**
   * Bytes one receiver rebuild allocates (measured on JDK 17: about 12.9 KB), an upper bound the
   * CI smoke allows on top of the 16 B tolerance of the open benchmarks, divided by the pool size.
   */
  static final int REBUILD_BYTES = 15_000;

  final SFrameCipherSuite suite;
  final int frameBytes;
  final byte[] plaintext;
  final byte[] out;
  final byte[] opened;
  private final EncodedFrame frame;
  private final LiveFrameBuffer into;
  private final StreamId stream = StreamId.of("bench");
  private final EpochKey epochKey;
  private final SFrameSender sender;
  private SFrameReceiver receiver;
  private byte[][] pool;
  private int next;

  /**
   * @param suite the SFrame cipher suite
   * @param keyBytes the 32-byte epoch key (the benchmark's one key)
   * @param plaintext the frame, {@code frameBytes} long
   */
  SFrameFixture(SFrameCipherSuite suite, byte[] keyBytes, byte[] plaintext) throws IOException {
    this.suite = suite;
    this.frameBytes = plaintext.length;
    this.plaintext = plaintext;
    this.frame = new EncodedFrame(0, true, plaintext);
    this.epochKey = new EpochKey(stream, EpochId.of(1),
        SecretBytes.copyFrom(keyBytes, InsecureSecretAccess.get()));
    SFrameSender.Builder b = SFrameSender.builder(epochKey, CounterStore.inMemoryForTests())
        .cipherSuite(suite)
        .counterBlockSize(SFrameSender.MAX_COUNTER_BLOCK);
    if (suite.hasShortTag()) {
      b.allowShortTags();
    }
    this.sender = b.build();
    this.out = new byte[sender.maxSealedLiveFrameLength(frameBytes)]; // room for either path
    this.opened = new byte[out.length];
    this.into = new LiveFrameBuffer(frameBytes);
    this.receiver = newReceiver();
  }

  /** Frames in an open pool: about 32 MiB of them, at least 64, at most 16384. */
  static int poolSize(int frameBytes) {
    return Math.max(64, Math.min(16384, (32 << 20) / frameBytes));
  }

  /** The raw-buffer seal: plaintext to {@link #out}, no metadata. */
  int sealRaw() throws IOException {
    return sender.seal(plaintext, 0, frameBytes, out, 0);
  }

  /**
   * The product path's seal: what {@code LiveCamera} calls for each frame, the live-frame prefix
   * and the frame sealed into the camera's reused buffer ({@link #out}).
   */
  int sealProduct() throws IOException {
    return sender.sealLiveFrame(frame, CAPTURE_MICROS, out, 0);
  }

  /** The raw-buffer open of the next pooled frame into {@link #opened}. */
  int openRaw() throws Exception {
    byte[] in = nextPooled(); // first: it may replace the receiver
    return receiver.open(in, 0, in.length, opened, 0);
  }

  /**
   * The product path's open: what {@code LiveViewer} calls for a frame message, into the viewer's
   * reused {@link LiveFrameBuffer}.
   */
  int openProduct() throws Exception {
    byte[] in = nextPooled(); // first: it may replace the receiver
    receiver.openLiveFrame(in, 0, in.length, into);
    return into.length();
  }

  /**
   * Fills the open pool with distinct frames sealed by this sender.
   *
   * @param product true for frames sealed on the product path ({@link #sealProduct})
   */
  void preparePool(boolean product) throws IOException {
    pool = new byte[poolSize(frameBytes)][];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = Arrays.copyOf(out, product ? sealProduct() : sealRaw());
    }
    next = 0;
  }

  /** The SFrame header a frame sealed now would carry: the AAD of the raw baselines. */
  byte[] typicalHeader() {
    return new SFrameHeader(1, 1L << 20).encode();
  }

  private byte[] nextPooled() {
    if (next == pool.length) {
      next = 0;
      receiver.close();
      receiver = newReceiver();
    }
    return pool[next++];
  }

  private SFrameReceiver newReceiver() {
    SFrameReceiver.Builder b = SFrameReceiver.builder(stream).cipherSuite(suite);
    if (suite.hasShortTag()) {
      b.allowShortTags();
    }
    SFrameReceiver r = b.build();
    r.addEpochKey(epochKey);
    return r;
  }

  void close() {
    sender.close();
    receiver.close();
    into.clear();
    epochKey.destroy();
  }
}
