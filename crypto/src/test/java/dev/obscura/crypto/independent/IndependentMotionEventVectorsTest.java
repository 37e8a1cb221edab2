package dev.obscura.crypto.independent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Checks the motion-event vectors of {@code docs/spec/vectors/motion-event/} against a reader
 * written from docs/spec/motion-event-v1.md alone (layout, section 1; key, section 2; buckets,
 * section 3; the opening steps of section 4 that need no store: 1, 4 and 7), on Bouncy Castle's
 * Ed25519, HKDF and AES-GCM. No dev.obscura import (the vector files and primitive calls are
 * delegated to {@link IndependentVectorsTest}).
 */
class IndependentMotionEventVectorsTest {
  static final int VALID = 1;
  static final int INVALID = 1;
  static final Set<Integer> BUCKETS = Set.of(16384, 32768, 65536);

  record Event(String stream, long epoch, long sequence, byte[] id, byte[] eventKey, long start,
      long end, long peak, long firstSegment, long lastSegment, byte[] thumbnail) {}

  // the vector files and primitives of IndependentVectorsTest (no SDK code)

  static byte[] ascii(String s) {
    return IndependentVectorsTest.ascii(s);
  }

  static byte[] cat(byte[]... parts) {
    return IndependentVectorsTest.cat(parts);
  }

  static boolean ed25519Verify(byte[] publicKey, String context, byte[] body, byte[] signature) {
    return IndependentVectorsTest.ed25519Verify(publicKey, context, body, signature);
  }

  static byte[] hkdf(byte[] ikm, byte[] info, int length) {
    return IndependentVectorsTest.hkdf(new SHA256Digest(), new HKDFParameters(ikm, new byte[0], info), length);
  }

  static long u64(byte[] b, int off) {
    return IndependentVectorsTest.u64(b, off);
  }

  static List<Map<String, String>> vectors(String kind) throws IOException {
    return IndependentVectorsTest.vectors(kind);
  }

  static long u32(byte[] b, int off) {
    return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  /** Section 4 steps 1, 4 and 7, under the camera key and epoch key the caller holds. */
  static Event open(byte[] r, byte[] cameraKey, byte[] epochKey) throws Refused {
    // step 1: the layout of section 1 and the buckets of section 3
    if (r.length > 65536) {
      throw new Refused("malformed", "longer than 65536 bytes");
    }
    if (r.length < 7 || !Arrays.equals(Arrays.copyOf(r, 4), ascii("OBEV")) || r[4] != 1 || r[5] != 1) {
      throw new Refused("malformed", "magic, version or suite");
    }
    int n = r[6] & 0xff;
    int headerLength = 55 + n;
    if (n < 1 || n > 64 || r.length < headerLength + 16 + 64) {
      throw new Refused("malformed", "stream id length or cut short");
    }
    String stream = new String(r, 7, n, StandardCharsets.US_ASCII);
    if (!stream.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new Refused("malformed", "stream id");
    }
    long epoch = u64(r, 7 + n);
    long sequence = u64(r, 15 + n);
    if (epoch < 0 || epoch > (1L << 62) || sequence < 0) {
      throw new Refused("malformed", "epoch or sequence out of range");
    }
    byte[] id = Arrays.copyOfRange(r, 23 + n, 39 + n);
    byte[] nonce = Arrays.copyOfRange(r, 39 + n, 51 + n);
    long c = u32(r, 51 + n);
    if (c != r.length - headerLength - 64 || !BUCKETS.contains(r.length)) {
      throw new Refused("malformed", "ciphertext length or bucket");
    }
    byte[] header = Arrays.copyOf(r, headerLength);
    byte[] ciphertext = Arrays.copyOfRange(r, headerLength, r.length - 64);
    // step 4: the camera's signature over header || ciphertext
    if (!ed25519Verify(cameraKey, "obscura/v1 sig motion-event", cat(header, ciphertext),
        Arrays.copyOfRange(r, r.length - 64, r.length))) {
      throw new Refused("signature", "does not verify");
    }
    // step 7: section 2's key, AES-256-GCM with the header as AAD, the plaintext's rules
    byte[] s = ascii(stream);
    byte[] info = cat(ascii("obscura/v1 motion-event"), new byte[] {(byte) n}, s,
        Arrays.copyOfRange(r, 7 + n, 15 + n));
    byte[] eventKey = hkdf(epochKey, info, 32);
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(false, new AEADParameters(new KeyParameter(eventKey), 128, nonce, header));
    byte[] p = new byte[gcm.getOutputSize(ciphertext.length)];
    try {
      int len = gcm.processBytes(ciphertext, 0, ciphertext.length, p, 0);
      len += gcm.doFinal(p, len);
      p = Arrays.copyOf(p, len);
    } catch (InvalidCipherTextException e) {
      throw new Refused("decryption", "tag");
    }
    if (p.length != c - 16 || p.length < 45 || p[0] != 1) {
      throw new Refused("content", "plaintext version");
    }
    long start = u64(p, 1);
    long end = u64(p, 9);
    long peak = u64(p, 17);
    long first = u64(p, 25);
    long last = u64(p, 33);
    long t = u32(p, 41);
    if (t > p.length - 45) {
      throw new Refused("content", "thumbnail beyond the record");
    }
    if (end < start || first < 0 || last < first) {
      throw new Refused("content", "reversed times or range");
    }
    for (int i = 45 + (int) t; i < p.length; i++) {
      if (p[i] != 0) {
        throw new Refused("content", "nonzero padding");
      }
    }
    return new Event(stream, epoch, sequence, id, eventKey, start, end, peak, first, last,
        Arrays.copyOfRange(p, 45, 45 + (int) t));
  }

  static Event open(Map<String, String> v) throws Refused {
    byte[] sealed = Hex.decode(v.get("sealed"));
    assertEquals(Integer.parseInt(v.get("sealed_length")), sealed.length, v.get("scenario"));
    return open(sealed, Hex.decode(v.get("camera_public_key")), Hex.decode(v.get("epoch_key")));
  }

  @Test
  void validVectorsOpenToTheContentTheyState() throws Exception {
    int count = 0;
    for (Map<String, String> v : vectors("motion-event")) {
      if (!v.get("expect").equals("valid")) {
        continue;
      }
      String id = v.get("scenario");
      Event e = open(v);
      assertEquals(v.get("stream"), e.stream(), id);
      assertEquals(Long.parseLong(v.get("epoch")), e.epoch(), id);
      assertArrayEquals(Hex.decode(v.get("event_key")), e.eventKey(), id);
      assertEquals(Long.parseLong(v.get("sequence")), e.sequence(), id);
      assertEquals(Long.parseLong(v.get("start_micros")), e.start(), id);
      assertEquals(Long.parseLong(v.get("end_micros")), e.end(), id);
      assertEquals(Long.parseLong(v.get("peak_micros")), e.peak(), id);
      assertEquals(Long.parseLong(v.get("first_segment")), e.firstSegment(), id);
      assertEquals(Long.parseLong(v.get("last_segment")), e.lastSegment(), id);
      assertArrayEquals(Hex.decode(v.get("thumbnail")), e.thumbnail(), id);
      count++;
    }
    assertEquals(VALID, count);
  }

  @Test
  void invalidVectorsAreRefused() throws Exception {
    int count = 0;
    for (Map<String, String> v : vectors("motion-event")) {
      if (v.get("expect").equals("valid")) {
        continue;
      }
      assertEquals("EventRefusedException", v.get("expect"), v.get("scenario"));
      try {
        open(v);
        fail(v.get("scenario") + " was accepted");
      } catch (Refused e) {
        // the only invalid vector is a flipped ciphertext bit: the signature step refuses it
        assertEquals("signature", e.kind, v.get("scenario") + ": " + e.getMessage());
      }
      count++;
    }
    assertEquals(INVALID, count);
  }
}
