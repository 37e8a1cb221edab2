package dev.obscura.crypto.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.Mutations;
import java.time.Instant;
import java.util.Arrays;

/**
 * Seals motion events the fuzzer describes (stream, epoch, times, segment range, thumbnail) with
 * {@link MotionEventSealer} and opens them by the reader's steps ({@link MotionEventReader#open}
 * without the store: parse the public header, check the camera's signature over header and
 * ciphertext, decrypt under the epoch's event key): {@code open(seal(x)) == x}, in one of the
 * three bucket sizes. Then one fuzzer-chosen mutation of the record must be refused typed
 * ({@link MalformedDataException} or {@link IntegrityException}) before any content is returned;
 * and, without the signature check, decryption alone must refuse every mutation that touches
 * the header or the ciphertext ({@link EventRefusedException} DECRYPTION). Regression inputs:
 * {@code MotionEventOpenFuzzTestInputs/}.
 */
class MotionEventOpenFuzzTest {
  static final SigningKey CAMERA = SigningKey.generate(EntropySource.insecureDeterministicForTests(2026));

  @FuzzTest(maxDuration = "90s")
  void sealOpenMutate(FuzzedDataProvider in) throws MalformedDataException, IntegrityException {
    String sid = "cam-" + Long.toString(in.consumeLong(0, Long.MAX_VALUE), 36);
    StreamId stream = StreamId.of(sid.substring(0, Math.min(sid.length(), in.consumeInt(5, 64))));
    byte[] key = Arrays.copyOf(in.consumeBytes(32), 32);
    EpochKey epochKey = new EpochKey(stream, EpochId.of(in.consumeLong(0, Long.MAX_VALUE >> 1)),
        SecretBytes.copyFrom(key, InsecureSecretAccess.get()));
    long startMicros = in.consumeLong(-62_135_596_800_000_000L, 253_402_300_799_000_000L);
    Instant start = MotionEventFormat.instant(startMicros);
    Instant end = MotionEventFormat.instant(startMicros + in.consumeLong(0, 1L << 40));
    Instant peak = MotionEventFormat.instant(in.consumeLong());
    long first = in.consumeLong(0, Long.MAX_VALUE >> 1);
    long last = first + in.consumeLong(0, 1 << 20);
    int thumbLen = in.consumeInt(0, MotionEventFormat.MAX_THUMBNAIL_BYTES);
    byte[] thumb = Mutations.plaintext(in, thumbLen);
    MotionEventSealer sealer = new MotionEventSealer(epochKey, CAMERA,
        EntropySource.insecureDeterministicForTests(in.consumeLong()));
    int skip = in.consumeInt(0, 3);
    MotionEventSealer.Sealed s = null;
    for (int i = 0; i <= skip; i++) { // later events of the epoch get later sequence numbers
      s = sealer.seal(new MotionEventDraft(start, end, peak, thumb), first, last);
    }
    byte[] sealed = s.bytes();
    assertEquals(MotionEventFormat.bucketFor(stream, thumb.length), sealed.length);
    assertEquals(skip, s.sequence());

    MotionEventFormat.Content c = open(sealed, stream, epochKey);
    assertEquals(start, c.start());
    assertEquals(end, c.end());
    assertEquals(peak, c.peak());
    assertEquals(first, c.firstSegment());
    assertEquals(last, c.lastSegment());
    assertArrayEquals(thumb, c.thumbnail());
    MotionEventFormat.Header h = MotionEventFormat.parseHeader(sealed);
    assertEquals(epochKey.epoch(), h.epoch());
    assertEquals(s.id(), h.id());
    assertEquals(skip, h.sequence());

    byte[] bad = Mutations.mutate(in, sealed);
    if (Arrays.equals(bad, sealed)) {
      return;
    }
    try {
      open(bad, stream, epochKey);
      throw new AssertionError("a mutated event opened");
    } catch (MalformedDataException | IntegrityException expected) {
      // typed, nothing returned
    }
    boolean signatureOnly = bad.length == sealed.length
        && Arrays.equals(bad, 0, sealed.length - 64, sealed, 0, sealed.length - 64);
    MotionEventFormat.Header bh;
    try {
      bh = MotionEventFormat.parseHeader(bad);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] eventKey = MotionEventFormat.deriveKey(new EpochKey(bh.stream(), bh.epoch(),
        SecretBytes.copyFrom(key, InsecureSecretAccess.get())));
    try {
      MotionEventFormat.open(eventKey, bad, bh);
      if (!signatureOnly) {
        throw new AssertionError("a mutated header or ciphertext decrypted");
      }
    } catch (EventRefusedException e) {
      if (signatureOnly || e.reason() != EventRefusedException.Reason.DECRYPTION) {
        throw new AssertionError("unexpected refusal " + e.reason(), e);
      }
    }
  }

  /** The reader's steps, with the camera key pinned and the epoch key known. */
  static MotionEventFormat.Content open(byte[] sealed, StreamId delivered, EpochKey epochKey)
      throws MalformedDataException, IntegrityException {
    MotionEventFormat.Header h = MotionEventFormat.parseHeader(sealed);
    if (!h.stream().equals(delivered) || !h.epoch().equals(epochKey.epoch())) {
      throw new EventRefusedException(EventRefusedException.Reason.MOVED, "moved");
    }
    CAMERA.verifyingKey().verify(SignaturePurpose.MOTION_EVENT, MotionEventFormat.signedPart(sealed),
        MotionEventFormat.signature(sealed));
    byte[] eventKey = MotionEventFormat.deriveKey(epochKey);
    try {
      return MotionEventFormat.open(eventKey, sealed, h);
    } finally {
      Arrays.fill(eventKey, (byte) 0);
    }
  }
}
