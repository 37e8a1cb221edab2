package dev.obscura.crypto.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EventMessage;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the public header of a sealed motion event ({@link MotionEventFormat#parseHeader}), what
 * a viewer parses of every record the store or the event bus hands it, with arbitrary bytes. The
 * header is canonical, so one that parses is re-encoded here from the parsed fields alone, by
 * this test's own writer of the spec's layout, to exactly the input's first bytes (the nonce,
 * which the parsed header does not carry, taken from the input); the record is one of the bucket
 * sizes; sorting by camera order accepts it. The reader's next steps fail only typed: the
 * camera signature ({@link IntegrityException}) and, for seeds signed by the test camera,
 * decryption under the seeds' epoch key ({@link EventRefusedException}). Seeds: {@code
 * MotionEventHeaderFuzzTestInputs/}, records sealed by {@link MotionEventSealer}.
 */
class MotionEventHeaderFuzzTest {
  /** The epoch key of the seeds: 32 bytes 0..31 (as in the spec vectors). */
  static final byte[] EPOCH_KEY = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      EPOCH_KEY[i] = (byte) i;
    }
  }

  @FuzzTest(maxDuration = "90s")
  void parseReencode(byte[] data) throws MalformedDataException {
    MotionEventFormat.Header h;
    try {
      h = MotionEventFormat.parseHeader(data);
    } catch (MalformedDataException expected) {
      return;
    }
    byte[] sid = h.stream().toBytes();
    int nonceAt = h.headerLength() - 4 - MotionEventFormat.NONCE_BYTES;
    ByteBuffer b = ByteBuffer.allocate(h.headerLength());
    b.put(MotionEventFormat.MAGIC).put(MotionEventFormat.VERSION)
        .put(MotionEventFormat.SUITE_AES256GCM_HKDF_SHA256).put((byte) sid.length).put(sid)
        .putLong(h.epoch().value()).putLong(h.sequence()).put(h.id().toBytes())
        .put(data, nonceAt, MotionEventFormat.NONCE_BYTES).putInt(h.ciphertextLength());
    assertArrayEquals(b.array(), Arrays.copyOf(data, h.headerLength()),
        "a parsed event header is not the spec's encoding of what it says");
    assertEquals(data.length, h.headerLength() + h.ciphertextLength() + 64);
    assertEquals(1, Arrays.stream(MotionEventFormat.BUCKETS).filter(s -> s == data.length).count());
    assertEquals(h, MotionEventFormat.parseHeader(data.clone()));
    EventMessage m = new EventMessage(h.stream(), h.id(), data);
    assertEquals(List.of(m), MotionEventFormat.inCameraOrder(List.of(m)));
    try {
      MotionEventOpenFuzzTest.CAMERA.verifyingKey().verify(dev.obscura.crypto.sign.SignaturePurpose.MOTION_EVENT,
          MotionEventFormat.signedPart(data), MotionEventFormat.signature(data));
    } catch (IntegrityException expected) {
      // typed
    }
    byte[] key = MotionEventFormat.deriveKey(new dev.obscura.crypto.keys.EpochKey(h.stream(), h.epoch(),
        dev.obscura.crypto.keys.SecretBytes.copyFrom(EPOCH_KEY, dev.obscura.crypto.keys.InsecureSecretAccess.get())));
    try {
      MotionEventFormat.open(key, data, h);
    } catch (EventRefusedException expected) {
      // typed
    }
  }
}
