package dev.obscura.crypto.independent;

import static dev.obscura.crypto.independent.IndependentVectorsTest.ascii;
import static dev.obscura.crypto.independent.IndependentVectorsTest.cat;
import static dev.obscura.crypto.independent.IndependentVectorsTest.ed25519Verify;
import static dev.obscura.crypto.independent.IndependentVectorsTest.sha256;
import static dev.obscura.crypto.independent.IndependentVectorsTest.u64;
import static dev.obscura.crypto.independent.IndependentVectorsTest.vectors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Checks the key-envelope vectors of docs/spec/vectors/key-envelope against a reader written from
 * key-envelope-v1 (sections 1 to 3) and devices-and-roster-v1 section 6 (the camera signature),
 * with the RFC 9180 code of {@link IndependentHpkeTest} (which reproduces RFC 9180 A.1.1) and
 * Bouncy Castle's low-level primitives only: no dev.obscura class. Every valid vector opens to its
 * epoch key for every viewer it lists, with every HPKE value it states (DeriveKeyPair of the
 * ephemeral ikm, enc, shared secret, key, base nonce, ciphertext) recomputed; every other one is
 * refused with the kind of refusal its {@code expect:} line names.
 */
class IndependentKeyEnvelopeVectorsTest {

  static Refused malformed(String why) {
    return new Refused("MalformedDataException", why);
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  /** Whether {@code id} matches [A-Za-z0-9][A-Za-z0-9._-]{0,63} (sealed-segment-v1). */
  static boolean validStreamId(byte[] id) {
    if (id.length < 1 || id.length > 64) {
      return false;
    }
    for (int i = 0; i < id.length; i++) {
      int c = id[i];
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /** RFC 7748 section 5 clamping: the files write X25519 private keys clamped. */
  static byte[] clamp(byte[] k) {
    byte[] c = k.clone();
    c[0] &= (byte) 248;
    c[31] &= 127;
    c[31] |= 64;
    return c;
  }

  record Stanza(int type, byte[] body, int offset) {}

  record Envelope(byte[] bytes, byte[] header, List<Stanza> stanzas) {}

  /** Section 1: the layout, every bound checked before anything is allocated for it. */
  static Envelope parse(byte[] e) throws Refused {
    if (e.length > 1 << 20) {
      throw malformed("over 1 MiB");
    }
    if (e.length < 6 || e[0] != 'O' || e[1] != 'B' || e[2] != 'S' || e[3] != 'E') {
      throw malformed("magic");
    }
    if (e[4] != 1) {
      throw malformed("version");
    }
    int n = e[5] & 0xff;
    if (n < 1 || n > 64) {
      throw malformed("stream id length");
    }
    int headerLen = 22 + n;
    if (e.length < headerLen) {
      throw malformed("cut inside the header");
    }
    if (!validStreamId(Arrays.copyOfRange(e, 6, 6 + n))) {
      throw malformed("stream id");
    }
    long epoch = u64(e, 6 + n);
    if (epoch < 0 || epoch > 1L << 62) {
      throw malformed("epoch");
    }
    if (e.length - headerLen < 2) {
      throw malformed("cut before the stanza count");
    }
    int count = u16(e, headerLen);
    if (count < 1 || count > 1024) {
      throw malformed("stanza count");
    }
    int pos = headerLen + 2;
    if ((long) count * 3 > e.length - pos) {
      throw malformed("stanzas do not fit");
    }
    List<Stanza> stanzas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (e.length - pos < 3) {
        throw malformed("cut in a stanza");
      }
      int type = e[pos] & 0xff;
      int len = u16(e, pos + 1);
      if (len > 4096) {
        throw malformed("stanza body over 4096");
      }
      if (e.length - pos - 3 < len) {
        throw malformed("cut in a stanza body");
      }
      stanzas.add(new Stanza(type, Arrays.copyOfRange(e, pos + 3, pos + 3 + len), pos));
      pos += 3 + len;
    }
    if (pos != e.length) {
      throw malformed("bytes after the last stanza");
    }
    int rosters = 0;
    for (Stanza s : stanzas) {
      if (s.type() == 1 && s.body().length != 96) {
        throw malformed("type-1 body not 96 bytes");
      }
      if (s.type() == 4) {
        rosters++;
        if (rosters > 1 || s.body().length != 40 || u64(s.body(), 0) < 1) {
          throw malformed("roster stanza");
        }
      }
    }
    return new Envelope(e, Arrays.copyOf(e, headerLen), stanzas);
  }

  /** devices-and-roster-v1 section 6: exactly one type-2 stanza, the last, by this camera. */
  static void verifyCameraSignature(Envelope env, byte[] camera) throws Refused {
    long signatures = env.stanzas().stream().filter(s -> s.type() == 2).count();
    Stanza last = env.stanzas().get(env.stanzas().size() - 1);
    if (signatures != 1 || last.type() != 2 || last.body().length != 80) {
      throw new Refused("IntegrityException", "unsigned, or the signature misplaced");
    }
    if (!Arrays.equals(Arrays.copyOf(sha256(camera), 16), Arrays.copyOf(last.body(), 16))) {
      throw new Refused("IntegrityException", "signed by another key");
    }
    if (!ed25519Verify(camera, "obscura/v1 sig envelope", Arrays.copyOf(env.bytes(), last.offset()),
        Arrays.copyOfRange(last.body(), 16, 80))) {
      throw new Refused("IntegrityException", "signature");
    }
  }

  /** Section 2: the first type-1 stanza with this viewer's key id, opened with RFC 9180. */
  static byte[] open(Envelope env, byte[] skR) throws Refused {
    byte[] keyId = Arrays.copyOf(sha256(IndependentHpkeTest.publicKey(skR)), 16);
    for (Stanza s : env.stanzas()) {
      if (s.type() != 1 || !Arrays.equals(keyId, Arrays.copyOf(s.body(), 16))) {
        continue;
      }
      byte[] enc = Arrays.copyOfRange(s.body(), 16, 48);
      byte[] ct = Arrays.copyOfRange(s.body(), 48, 96);
      try {
        IndependentHpkeTest.Context c = IndependentHpkeTest.keySchedule(IndependentHpkeTest.decap(enc, skR),
            info(env), 0x0002, 32);
        return IndependentHpkeTest.open(c, new byte[0], ct);
      } catch (InvalidCipherTextException | IllegalArgumentException e) {
        throw new Refused("IntegrityException", "the viewer's stanza does not decrypt");
      }
    }
    throw new Refused("KeyUnavailableException", "not a recipient");
  }

  static byte[] info(Envelope env) {
    return cat(ascii("obscura/v1 envelope hpke-x25519"), env.header());
  }

  /** A reader of one vector: parse, check the signature if it names a camera, open for every viewer. */
  static List<byte[]> read(Map<String, String> v) throws Refused {
    Envelope env = parse(Hex.decode(v.get("envelope")));
    if (!v.get("camera_public_key").equals("none")) {
      verifyCameraSignature(env, Hex.decode(v.get("camera_public_key")));
    }
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(v.get("viewers")); i++) {
      keys.add(open(env, Hex.decode(v.get("viewer_" + i + "_private_key"))));
    }
    return keys;
  }

  /** Every HPKE value a valid vector states, recomputed. */
  static void checkHpkeValues(Map<String, String> v) throws Exception {
    Envelope env = parse(Hex.decode(v.get("envelope")));
    assertArrayEquals(Hex.decode(v.get("hpke_info")), info(env));
    for (int i = 0; i < Integer.parseInt(v.get("viewers")); i++) {
      String p = "viewer_" + i + "_";
      byte[] skR = Hex.decode(v.get(p + "private_key"));
      byte[] pkR = IndependentHpkeTest.publicKey(skR);
      assertArrayEquals(Hex.decode(v.get(p + "public_key")), pkR);
      assertArrayEquals(Hex.decode(v.get(p + "key_id")), Arrays.copyOf(sha256(pkR), 16));
      byte[] skE = IndependentHpkeTest.deriveKeyPair(Hex.decode(v.get(p + "ikm_e")));
      assertArrayEquals(Hex.decode(v.get(p + "sk_e")), clamp(skE), "sk_e is written clamped (RFC 7748)");
      byte[] enc = IndependentHpkeTest.publicKey(skE);
      assertArrayEquals(Hex.decode(v.get(p + "enc")), enc);
      byte[] ss = IndependentHpkeTest.decap(enc, skR);
      assertArrayEquals(Hex.decode(v.get(p + "shared_secret")), ss);
      IndependentHpkeTest.Context c = IndependentHpkeTest.keySchedule(ss, info(env), 0x0002, 32);
      assertArrayEquals(Hex.decode(v.get(p + "key")), c.key());
      assertArrayEquals(Hex.decode(v.get(p + "base_nonce")), c.baseNonce());
      byte[] ct = Hex.decode(v.get(p + "ct"));
      assertArrayEquals(Hex.decode(v.get("epoch_key")), IndependentHpkeTest.open(c, new byte[0], ct));
      // the stanza in the envelope is key id || enc || ct
      Stanza mine = env.stanzas().stream()
          .filter(s -> s.type() == 1 && Arrays.equals(Arrays.copyOf(s.body(), 16), Arrays.copyOf(sha256(pkR), 16)))
          .findFirst().orElseThrow();
      assertArrayEquals(cat(Arrays.copyOf(sha256(pkR), 16), enc, ct), mine.body());
    }
  }

  @Test
  void keyEnvelopeVectors() throws Exception {
    int valid = 0;
    int refused = 0;
    for (Map<String, String> v : vectors("key-envelope")) {
      String scenario = v.get("scenario");
      assertEquals(Integer.parseInt(v.get("envelope_length")), Hex.decode(v.get("envelope")).length, scenario);
      if (v.get("expect").equals("valid")) {
        List<byte[]> keys = read(v);
        for (byte[] k : keys) {
          assertArrayEquals(Hex.decode(v.get("epoch_key")), k, scenario);
        }
        checkHpkeValues(v);
        valid++;
      } else {
        Refused r = assertThrows(Refused.class, () -> read(v), scenario);
        assertEquals(v.get("expect"), r.kind, scenario + ": " + r.getMessage());
        refused++;
      }
    }
    assertEquals(3, valid);
    assertEquals(26, refused);
  }
}
