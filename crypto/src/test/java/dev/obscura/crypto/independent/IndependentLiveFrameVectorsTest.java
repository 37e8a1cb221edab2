package dev.obscura.crypto.independent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * Checks the live-frame vectors of {@code docs/spec/vectors/live-frame/} against a receiver
 * written from docs/spec/live-sframe-v1.md (sections 2, 3, 5 and 6) and RFC 9605 alone: its own
 * SFrame header parser, the key schedule on Bouncy Castle's HKDF, AES-128-GCM from Bouncy Castle's
 * low-level engine, its own replay window and live-frame parser. It shares no code with the SDK
 * (no dev.obscura import; the vector-file reading and the HKDF call are delegated to {@link
 * IndependentVectorsTest}), so a bug shared by the SDK's sender, which generated the vectors, and
 * its receiver, which checks them, shows up here.
 */
class IndependentLiveFrameVectorsTest {
  static final int VALID = 8;
  static final int INVALID = 18;
  /** Replay window W, section 6 step 3 (the default). */
  static final int W = 1024;
  /** Suite 0x0004 AES_128_GCM_SHA256_128: Nk 16, Nn 12, Nt 16 (section 1). */
  static final int NK = 16;
  static final int NN = 12;
  static final int NT = 16;
  static final int SUITE = 0x0004;

  /** Why the independent receiver refused a frame: the step of section 6 that failed. */
  enum Refusal {
    MALFORMED("MalformedDataException"),
    UNKNOWN_KID("UnknownKeyIdException"),
    REPLAYED("ReplayedFrameException"),
    TAMPERED("TamperedFrameException");

    final String sdkName;

    Refusal(String sdkName) {
      this.sdkName = sdkName;
    }
  }

  static Refused refused(Refusal why, String detail) {
    return new Refused(why.sdkName, detail);
  }

  /** An RFC 9605 section 4.3 header: KID, CTR and its length. */
  record Header(long kid, long ctr, int length) {}

  // the vector files and primitives of IndependentVectorsTest (no SDK code)

  static byte[] ascii(String s) {
    return IndependentVectorsTest.ascii(s);
  }

  static byte[] cat(byte[]... parts) {
    return IndependentVectorsTest.cat(parts);
  }

  static byte[] hkdf(byte[] ikm, byte[] info, int length) {
    return IndependentVectorsTest.hkdf(new SHA256Digest(), new HKDFParameters(ikm, new byte[0], info), length);
  }

  static List<Map<String, String>> vectors(String kind) throws IOException {
    return IndependentVectorsTest.vectors(kind);
  }

  /** The value of {@code n} bytes big-endian at {@code off}. */
  static long be(byte[] b, int off, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static byte[] u64(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /** Bytes a minimal encoding of {@code v} uses after the config byte: 0 for 0..7. */
  static int minimalLength(long v) {
    if (v >= 0 && v < 8) {
      return 0;
    }
    int n = 1;
    while (n < 8 && (v >>> (8 * n)) != 0) {
      n++;
    }
    return n;
  }

  /**
   * Section 3 and RFC 9605 section 4.3: config byte X|KKK|Y|CCC; X = 0: KID = KKK, else KID in
   * the next KKK + 1 bytes; then likewise Y and CTR. Minimal: a value below 8 in the config byte,
   * else in the fewest bytes.
   */
  static Header parseHeader(byte[] s) throws Refused {
    if (s.length < 1) {
      throw refused(Refusal.MALFORMED, "empty");
    }
    int config = s[0] & 0xff;
    int pos = 1;
    long kid = (config >> 4) & 7;
    int kidBytes = 0;
    if ((config & 0x80) != 0) {
      kidBytes = (int) kid + 1;
      if (s.length < pos + kidBytes) {
        throw refused(Refusal.MALFORMED, "KID cut short");
      }
      kid = be(s, pos, kidBytes);
      pos += kidBytes;
    }
    long ctr = config & 7;
    int ctrBytes = 0;
    if ((config & 0x08) != 0) {
      ctrBytes = (int) ctr + 1;
      if (s.length < pos + ctrBytes) {
        throw refused(Refusal.MALFORMED, "CTR cut short");
      }
      ctr = be(s, pos, ctrBytes);
      pos += ctrBytes;
    }
    if (kidBytes != minimalLength(kid) || ctrBytes != minimalLength(ctr)) {
      throw refused(Refusal.MALFORMED, "not minimal");
    }
    return new Header(kid, ctr, pos);
  }

  /** Section 2: base_key, then the RFC 9605 section 4.4.2 key and salt of KID {@code kid}. */
  record Keys(byte[] baseKeyInfo, byte[] baseKey, byte[] key, byte[] salt) {}

  static Keys keys(byte[] epochKey, String stream, long epoch) {
    byte[] s = ascii(stream);
    byte[] info = cat(ascii("obscura/v1 sframe base key"), new byte[] {(byte) s.length}, s, u64(epoch));
    byte[] base = hkdf(epochKey, info, 32);
    byte[] suite = {(byte) (SUITE >> 8), (byte) SUITE};
    // HKDF-Extract("", base_key) then Expand: BC's HKDF with an empty salt does both
    byte[] key = hkdf(base, cat(ascii("SFrame 1.0 Secret key "), u64(epoch), suite), NK);
    byte[] salt = hkdf(base, cat(ascii("SFrame 1.0 Secret salt "), u64(epoch), suite), NN);
    return new Keys(info, base, key, salt);
  }

  /** RFC 9605 section 4.4.3: salt XOR CTR, big-endian in the low 8 of the 12 bytes. */
  static byte[] nonce(byte[] salt, long ctr) {
    byte[] n = salt.clone();
    byte[] c = u64(ctr);
    for (int i = 0; i < 8; i++) {
      n[NN - 8 + i] ^= c[i];
    }
    return n;
  }

  /**
   * One KID's replay state, section 6 step 3: the highest accepted CTR and those accepted (as
   * signed longs: every CTR of the vectors is below 2^63).
   */
  static final class Window {
    long highest = -1;
    final Set<Long> accepted = new HashSet<>();

    boolean refuses(long ctr) {
      return accepted.contains(ctr) || (highest >= 0 && ctr < highest && highest - ctr >= W);
    }

    void accept(long ctr) {
      accepted.add(ctr);
      highest = Math.max(highest, ctr);
    }
  }

  /** A frame that passed section 6 steps 1 to 5. */
  record Authentic(Header header, Keys keys, byte[] nonce, byte[] plaintext) {}

  /** What an opened live frame says (section 5). */
  record Opened(Header header, Keys keys, byte[] nonce, byte[] plaintext, boolean keyframe,
      boolean cover, long pts, long capture, byte[] frame, long padding) {}

  /** A receiver of one stream (section 6). */
  static final class Receiver {
    final String stream;
    final Map<Long, byte[]> epochKeys = new HashMap<>();
    final Map<Long, Window> windows = new HashMap<>();

    Receiver(String stream) {
      this.stream = stream;
    }

    /** Section 6 steps 1 to 6. */
    Opened open(byte[] s) throws Refused {
      Authentic a = authenticate(s);
      return liveFrame(a.header(), a.keys(), a.nonce(), a.plaintext()); // step 6
    }

    /** Section 6 steps 1 to 5: header, keys, nonce and plaintext of an authentic frame. */
    Authentic authenticate(byte[] s) throws Refused {
      Header h = parseHeader(s); // step 1
      if (s.length < h.length() + NT) {
        throw refused(Refusal.MALFORMED, "shorter than header and tag");
      }
      byte[] ek = epochKeys.get(h.kid()); // step 2
      if (ek == null) {
        throw refused(Refusal.UNKNOWN_KID, "kid " + h.kid());
      }
      Window w = windows.computeIfAbsent(h.kid(), k -> new Window());
      if (w.refuses(h.ctr())) { // step 3
        throw refused(Refusal.REPLAYED, "ctr " + h.ctr());
      }
      Keys k = keys(ek, stream, h.kid()); // step 4
      byte[] nonce = nonce(k.salt(), h.ctr());
      byte[] aad = Arrays.copyOf(s, h.length()); // header || empty metadata
      GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(false, new AEADParameters(new KeyParameter(k.key()), 8 * NT, nonce, aad));
      byte[] pt = new byte[gcm.getOutputSize(s.length - h.length())];
      try {
        int n = gcm.processBytes(s, h.length(), s.length - h.length(), pt, 0);
        n += gcm.doFinal(pt, n);
        pt = Arrays.copyOf(pt, n);
      } catch (InvalidCipherTextException e) {
        throw refused(Refusal.TAMPERED, "tag");
      }
      w.accept(h.ctr()); // step 5, before the plaintext is parsed
      return new Authentic(h, k, nonce, pt);
    }
  }

  /** Section 5: the live frame, version 2, with its padding (5.1) and cover (5.2) rules. */
  static Opened liveFrame(Header h, Keys k, byte[] nonce, byte[] pt) throws Refused {
    if (pt.length < 18 || pt[0] != 2) {
      throw refused(Refusal.MALFORMED, "not a version 2 live frame");
    }
    int flags = pt[1] & 0xff;
    if ((flags & ~0x07) != 0) {
      throw refused(Refusal.MALFORMED, "reserved flag");
    }
    boolean cover = (flags & 4) != 0;
    if (cover && flags != 0x06) {
      throw refused(Refusal.MALFORMED, "cover flags not 0x06");
    }
    int end = pt.length;
    long padding = 0;
    if ((flags & 2) != 0) {
      if (pt.length < 18 + 4) {
        throw refused(Refusal.MALFORMED, "no padding trailer");
      }
      padding = be(pt, pt.length - 4, 4);
      if (padding > pt.length - 4 - 18) {
        throw refused(Refusal.MALFORMED, "padding longer than the bytes before the trailer");
      }
      end = pt.length - 4 - (int) padding;
      for (int i = end; i < pt.length - 4; i++) {
        if (pt[i] != 0) {
          throw refused(Refusal.MALFORMED, "nonzero padding");
        }
      }
    }
    if (cover && end != 18) {
      throw refused(Refusal.MALFORMED, "cover carries frame bytes");
    }
    return new Opened(h, k, nonce, pt, (flags & 1) != 0, cover, be(pt, 2, 8), be(pt, 10, 8),
        Arrays.copyOfRange(pt, 18, end), padding);
  }

  /** The receiver a vector describes, after the frames it received before. */
  static Receiver receiver(Map<String, String> v) throws Refused {
    assertEquals("0x0004", v.get("suite"));
    Receiver r = new Receiver(v.get("stream"));
    for (String e : v.get("receiver_epochs").split(" ")) {
      r.epochKeys.put(Long.parseLong(e), Hex.decode(v.get("epoch_key_" + e)));
    }
    if (!v.get("received_before").equals("none")) {
      for (String f : v.get("received_before").split(" ")) {
        r.authenticate(Hex.decode(f));
      }
    }
    return r;
  }

  static byte[] sealed(Map<String, String> v) {
    byte[] s = Hex.decode(v.get("sealed"));
    assertEquals(Integer.parseInt(v.get("sealed_length")), s.length, v.get("scenario"));
    return s;
  }

  @Test
  void validVectorsOpenWithEveryIntermediateValue() throws Exception {
    int n = 0;
    for (Map<String, String> v : vectors("live-frame")) {
      if (!v.get("expect").equals("valid")) {
        continue;
      }
      String id = v.get("scenario");
      Opened o = receiver(v).open(sealed(v));
      assertEquals(Long.parseLong(v.get("kid")), o.header().kid(), id);
      assertEquals(Long.parseLong(v.get("ctr")), o.header().ctr(), id);
      assertEquals(v.get("base_key_info"), Hex.toHexString(o.keys().baseKeyInfo()), id);
      assertEquals(v.get("base_key"), Hex.toHexString(o.keys().baseKey()), id);
      assertEquals(v.get("sframe_key"), Hex.toHexString(o.keys().key()), id);
      assertEquals(v.get("sframe_salt"), Hex.toHexString(o.keys().salt()), id);
      assertEquals(v.get("header"), v.get("sealed").substring(0, 2 * o.header().length()), id);
      assertEquals(v.get("aad"), v.get("header"), id);
      assertEquals(v.get("nonce"), Hex.toHexString(o.nonce()), id);
      assertEquals(v.get("plaintext"), Hex.toHexString(o.plaintext()), id);
      assertEquals(Boolean.parseBoolean(v.get("keyframe")), o.keyframe(), id);
      assertEquals(Boolean.parseBoolean(v.get("cover")), o.cover(), id);
      assertEquals(Long.parseLong(v.get("presentation_micros")), o.pts(), id);
      assertEquals(Long.parseLong(v.get("capture_micros")), o.capture(), id);
      assertEquals(Long.parseLong(v.get("padding_length")), o.padding(), id);
      assertEquals(Integer.parseInt(v.get("frame_length")), o.frame().length, id);
      assertArrayEquals(v.containsKey("frame") ? Hex.decode(v.get("frame")) : new byte[0], o.frame(), id);
      n++;
    }
    assertEquals(VALID, n);
  }

  @Test
  void invalidVectorsAreRefusedAtTheStepTheySay() throws Exception {
    int n = 0;
    for (Map<String, String> v : vectors("live-frame")) {
      if (v.get("expect").equals("valid")) {
        continue;
      }
      Receiver r = receiver(v);
      try {
        r.open(sealed(v));
        fail(v.get("scenario") + " was accepted");
      } catch (Refused e) {
        assertEquals(v.get("expect"), e.kind, v.get("scenario") + ": " + e.getMessage());
      }
      n++;
    }
    assertEquals(INVALID, n);
  }

  @Test
  void theFirstValidFrameIsTheSectionSevenKnownAnswer() throws Exception {
    // docs/spec/live-sframe-v1.md section 7, computed with Python: the spec text's own numbers
    Keys k = keys(Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "front-door", 7);
    assertEquals("c3952e94c23b5b4ac98f8a5f30fd42b62873d5bc526b056bf220f18cb96c6ef6", Hex.toHexString(k.baseKey()));
    assertEquals("8a7d1bf439617b9c90117fc0d4902fc1", Hex.toHexString(k.key()));
    assertEquals("d25826bd129944636c37f1af", Hex.toHexString(k.salt()));
    Map<String, String> v = vectors("live-frame").stream()
        .filter(m -> m.get("scenario").equals("keyframe-ctr-0")).findFirst().orElseThrow();
    assertEquals("70c3d10771a575270214b3e5deed8822363753e246513f5aa3558571fdd3008d9675c9ba890c9b66d17ca52a8f4e072bc0d0678312",
        v.get("sealed"));
    assertEquals("0201000000000000823500060a24181e40006f627363757261206c697665206672616d65",
        Hex.toHexString(receiver(v).open(sealed(v)).plaintext()));
  }
}
