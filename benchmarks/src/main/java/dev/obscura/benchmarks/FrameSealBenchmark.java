package dev.obscura.benchmarks;

import dev.obscura.core.EpochId;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.segment.SealingSuite;
import dev.obscura.crypto.segment.SegmentReader;
import dev.obscura.crypto.segment.SegmentSealer;
import dev.obscura.crypto.segment.SegmentWriter;
import dev.obscura.crypto.sframe.SFrameCipherSuite;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Every Obscura AES-GCM sealer and opener against the raw JCA call it is built on, in the same
 * run, with the same key ({@code keyBits} of one random key: AES-256 by default, {@code -p
 * keyBits=128} for the SFrame default suite and Cobblestone-128). One operation is one frame of
 * {@code frameBytes} (or one whole segment of that size, for {@code segmentSeal}/{@code
 * segmentOpen}); bytes/s = ops/s x frameBytes. The harness (settings, key, buffers, nonces,
 * pools, warm-up) is {@link FrameHarness}'s, the SFrame methods {@link SFrameHarness}'s.
 *
 * <p>Baselines (one reused {@code Cipher}, {@code init} with a fresh counter nonce, {@code
 * doFinal} into a preallocated array): {@code rawJcaAesGcm}, {@code rawJcaAesGcmAad} (with an
 * SFrame header as AAD, the fair baseline for SFrame), and their opens {@code rawJcaAesGcmOpen},
 * {@code rawJcaAesGcmAadOpen}. The chain baselines {@code rawJcaAesGcmSha256} and {@code
 * rawJcaAesGcmSha256Open} add what segment format v2 adds to every sealed byte: SHA-256 over the
 * ciphertext (see their Javadoc). {@link dev.obscura.benchmarks.report.Baselines} names each
 * method's baseline; the report divides by it.
 *
 * <p>Obscura: {@code sframeSeal}/{@code sframeOpen} (raw-buffer API), {@code sframeSealFrame}/
 * {@code sframeOpenFrame} (the product path: what {@code LiveCamera}/{@code LiveViewer} call),
 * {@code segmentWrite}/{@code segmentRead} (frames written into, and read out of, one open
 * segment: {@code SegmentWriter}/{@code SegmentReader}, the recorder's and the viewer's path),
 * {@code segmentSeal}/{@code segmentOpen} (one whole segment per op, {@code SegmentSealer} and
 * {@code SegmentReader} into a reused buffer). The coalescing benchmarks finish the open segment
 * every {@link #segmentBytes} bytes and start the next, so the per-segment cost is amortized as a
 * recorder sees it.
 *
 * <p>Every setup warms its operation ({@link Prewarm}) so no iteration is measured cold; the
 * report fails a run whose iterations spread more than 10x.
 *
 * <pre>
 * benchmarks/run.sh            # every JDK found, both key sizes, report and chart
 * java -jar benchmarks/target/benchmarks.jar FrameSealBenchmark -prof gc
 * </pre>
 */
public class FrameSealBenchmark extends SFrameHarness {
  @Param({"256"})
  int keyBits;

  // raw JCA
  private Cipher jca;
  private SecretKeySpec aesKey;
  private byte[] aad;
  private MessageDigest sha256;
  private final byte[] digest = new byte[32];

  // segments
  private StreamId stream;
  private EpochKey epochKey;
  private SealingSuite sealingSuite;
  private int segmentBytes;
  private SegmentSealer sealer;
  private MediaSegment segment;
  private byte[] sealedSegment;
  private byte[] sealedLongSegment;
  private final SegmentReader reader = new SegmentReader();
  private SegmentWriter writing;
  private long written;

  @Override
  void prepare(String method, SplittableRandom random) throws Exception {
    aesKey = new SecretKeySpec(key32, 0, keyBits / 8, "AES");
    jca = Cipher.getInstance("AES/GCM/NoPadding");
    sha256 = MessageDigest.getInstance("SHA-256");
    prepareSFrame(keyBits == 128 ? SFrameCipherSuite.AES_128_GCM_SHA256_128
        : SFrameCipherSuite.AES_256_GCM_SHA512_128, method);
    aad = sframe.typicalHeader();
    stream = StreamId.of("bench");
    epochKey = copyOfEpochKey();
    sealingSuite = keyBits == 128 ? SealingSuite.AES_128_GCM : SealingSuite.AES_256_GCM;
    segmentBytes = Math.max(4 << 20, 16 * frameBytes);
    switch (method) {
      case "rawJcaAesGcmOpen", "rawJcaAesGcmSha256Open" -> prepareRawPool(false);
      case "rawJcaAesGcmAadOpen" -> prepareRawPool(true);
      case "segmentSeal" -> prepareSealer();
      case "segmentOpen" -> sealedSegment = sealOne(frameBytes);
      case "segmentRead" -> {
        sealedLongSegment = sealOne(segmentBytes);
        reader.start(sealedLongSegment, 0, sealedLongSegment.length, epochKey);
      }
      case "segmentWrite" -> {
        prepareSealer();
        writing = sealer.open(Instant.EPOCH, 2_000_000);
        written = 0;
      }
      default -> { }
    }
  }

  @Override
  void release() throws Exception {
    super.release();
    epochKey.destroy();
    if (sealer != null) {
      sealer.close();
    }
    if (writing != null) {
      writing.close();
    }
    reader.close();
  }

  // ---------------------------------------------------------------- raw JCA baselines

  /** Baseline: AES-GCM seal of one frame, no AAD. */
  @Benchmark
  public int rawJcaAesGcm() throws Exception {
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, counterNonce(nonce, ++counter)));
    return jca.doFinal(plaintext, 0, frameBytes, out, 0);
  }

  /** Baseline for SFrame: AES-GCM seal of one frame with an SFrame header as AAD. */
  @Benchmark
  public int rawJcaAesGcmAad() throws Exception {
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, counterNonce(nonce, ++counter)));
    jca.updateAAD(aad, 0, aad.length);
    return jca.doFinal(plaintext, 0, frameBytes, out, 0);
  }

  /** Baseline: AES-GCM open of the next pooled frame, no AAD. */
  @Benchmark
  public int rawJcaAesGcmOpen() throws Exception {
    return rawOpen(false);
  }

  /** Baseline for SFrame: AES-GCM open of the next pooled frame with its header as AAD. */
  @Benchmark
  public int rawJcaAesGcmAadOpen() throws Exception {
    return rawOpen(true);
  }

  /**
   * Chain baseline, the honest same-thread ceiling of a segment: {@link #rawJcaAesGcm} (one
   * reused {@code Cipher}, a fresh counter nonce, {@code doFinal} into a preallocated array), then
   * SHA-256 over the sealed bytes (ciphertext and tag) with one reused {@code MessageDigest} and a
   * digest per op into a preallocated array. Segment format v2 hashes every sealed byte into the
   * camera's chain digest, and that digest must stay collision-resistant over the ciphertext (any
   * holder of a segment key can forge GCM tags), so no segment can run at raw AES-GCM speed on
   * one thread.
   *
   * <p>At 16 KiB one op is exactly one C2SP chunk sealed and hashed, as {@code SegmentSealer}
   * does per chunk (per-chunk {@code doFinal}, per-chunk digest update): the report's "chain
   * ceiling" is this method at 16 KiB, for every segment method and size. It finishes a digest
   * per op where a segment finishes one per segment (one SHA-256 block of 257 at 16 KiB, under
   * 0.5%), so a segment can exceed it by that much. At other sizes it is one whole frame sealed
   * then hashed: the chain's cost next to {@link #rawJcaAesGcm} at the same size.
   */
  @Benchmark
  public int rawJcaAesGcmSha256() throws Exception {
    jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, counterNonce(nonce, ++counter)));
    int n = jca.doFinal(plaintext, 0, frameBytes, out, 0);
    sha256.update(out, 0, n);
    sha256.digest(digest, 0, digest.length);
    return n;
  }

  /**
   * Chain baseline of the opens, as {@code SegmentReader} reads: SHA-256 over the next pooled
   * sealed frame (the digest finished per op), then its AES-GCM open, no AAD. See {@link
   * #rawJcaAesGcmSha256}: at 16 KiB, one C2SP chunk hashed and opened.
   */
  @Benchmark
  public int rawJcaAesGcmSha256Open() throws Exception {
    int i = nextPooled();
    byte[] in = rawPool[i];
    sha256.update(in, 0, in.length);
    sha256.digest(digest, 0, digest.length);
    jca.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, counterNonce(nonce, i + 1)));
    return jca.doFinal(in, 0, in.length, opened, 0);
  }

  private int rawOpen(boolean withAad) throws Exception {
    int i = nextPooled();
    jca.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, counterNonce(nonce, i + 1)));
    if (withAad) {
      jca.updateAAD(aad, 0, aad.length);
    }
    byte[] in = rawPool[i];
    return jca.doFinal(in, 0, in.length, opened, 0);
  }

  private void prepareRawPool(boolean withAad) throws Exception {
    fillRawPool(c -> {
      jca.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, counterNonce(nonce, c)));
      if (withAad) {
        jca.updateAAD(aad);
      }
      return jca.doFinal(plaintext, 0, frameBytes);
    });
  }

  // ---------------------------------------------------------------- segments

  /** One whole segment of {@code frameBytes} sealed per op ({@code SegmentSealer.seal}). */
  @Benchmark
  public Object segmentSeal() throws Exception {
    return sealer.seal(segment);
  }

  /**
   * One whole segment of {@code frameBytes} opened per op into a reused buffer: the viewer's
   * path ({@code SegmentReader.start} then {@code readFully}, as {@code StreamReader} reads).
   */
  @Benchmark
  public int segmentOpen() throws Exception {
    reader.start(sealedSegment, 0, sealedSegment.length, epochKey);
    return reader.readFully(opened, 0);
  }

  /**
   * One frame of {@code frameBytes} read out of an open segment into a reused buffer ({@code
   * SegmentReader.read}); a segment of {@link #segmentBytes} is restarted when read to its end.
   */
  @Benchmark
  public int segmentRead() throws Exception {
    int got = 0;
    while (got < frameBytes) {
      int n = reader.read(opened, got, frameBytes - got);
      if (n < 0) {
        reader.start(sealedLongSegment, 0, sealedLongSegment.length, epochKey);
        continue;
      }
      got += n;
    }
    return got;
  }

  /**
   * One frame of {@code frameBytes} written into an open segment ({@code SegmentWriter.write},
   * coalesced into 16 KiB chunks, each sealed and handed to the store as it fills): the
   * recorder's path. The segment is finished and the next one opened every {@link
   * #segmentBytes}, so the per-segment cost (header, key derivation, store write) is amortized
   * as a recorder would.
   */
  @Benchmark
  public long segmentWrite() throws Exception {
    writing.write(plaintext, 0, frameBytes);
    written += frameBytes;
    if (written >= segmentBytes) {
      writing.finish();
      writing = sealer.open(Instant.EPOCH, 2_000_000);
      written = 0;
    }
    return written;
  }

  private void prepareSealer() throws Exception {
    sealer = SegmentSealer.builder()
        .store(new DiscardingStore())
        .stream(stream)
        .epochKey(copyOfEpochKey())
        .suite(sealingSuite)
        .maxSegmentBytes(Math.max(SegmentSealer.DEFAULT_MAX_SEGMENT_BYTES, segmentBytes))
        .build();
    segment = new MediaSegment(0, Instant.EPOCH, 0, 2_000_000, 60, plaintext);
  }

  /** Seals one segment of {@code bytes} (a prefix-repeat of the frame) and returns it. */
  private byte[] sealOne(int bytes) throws Exception {
    byte[] data = new byte[bytes];
    for (int i = 0; i < bytes; i += frameBytes) {
      System.arraycopy(plaintext, 0, data, i, Math.min(frameBytes, bytes - i));
    }
    DiscardingStore store = new DiscardingStore();
    try (SegmentSealer s = SegmentSealer.builder().store(store).stream(stream)
        .epochKey(copyOfEpochKey()).suite(sealingSuite).build()) {
      store.keepLast();
      s.seal(new MediaSegment(0, Instant.EPOCH, 0, 2_000_000, 60, data));
    }
    return store.last();
  }

  private EpochKey copyOfEpochKey() {
    return new EpochKey(stream, EpochId.of(1), SecretBytes.copyFrom(key32,
        InsecureSecretAccess.get()));
  }
}
