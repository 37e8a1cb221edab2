package dev.obscura.crypto.independent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * An independent reading of the published roster vectors in {@code docs/spec/vectors/roster/}
 * (the segment, audit and manifest vectors: {@link IndependentVectorsTest}, a second independent
 * reading written apart from this one): the format is implemented here from the spec text alone (docs/spec/*.md) with Bouncy Castle low-level
 * primitives and plain parsing. Nothing in this class calls a dev.obscura class, so a bug shared
 * by the generator and the reader under test (which produced and check the vectors) shows up here.
 */
class IndependentRosterVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  // ---- reading vector files (same location rule as the *VectorsTest classes) ----

  private static Path dir(String kind) {
    return Path.of(System.getProperty("obscura.root", "..")).resolve("docs/spec/vectors").resolve(kind);
  }

  private static Map<String, String> vector(String kind, String name) throws IOException {
    Map<String, String> v = new HashMap<>();
    for (String line : Files.readAllLines(dir(kind).resolve(name + ".txt"), StandardCharsets.UTF_8)) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        v.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return v;
  }

  private static byte[] hex(Map<String, String> v, String key) {
    String s = v.get(key);
    if (s == null) {
      throw new AssertionError("vector has no " + key);
    }
    return HEX.parseHex(s);
  }

  private static byte[] concat(byte[]... parts) {
    return org.bouncycastle.util.Arrays.concatenate(parts);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] sha256(byte[]... parts) {
    SHA256Digest d = new SHA256Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  private static long u64(byte[] b, int off) {
    long r = 0;
    for (int i = 0; i < 8; i++) {
      r = (r << 8) | (b[off + i] & 0xff);
    }
    return r;
  }

  private static boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    s.update(message, 0, message.length);
    return s.verifySignature(signature);
  }

  // ---- sealed segment, docs/spec/sealed-segment-v1.md ----

  // ---- audit entry, docs/spec/audit-log-v1.md ----

  private static final byte[] AUDIT_SIG_PREFIX = concat(ascii("obscura/v1 sig audit-entry"), new byte[1]);

  // ---- chain manifest, docs/spec/share-grant-v1.md section 2 ----

  private static final byte[] MANIFEST_SIG_PREFIX = concat(ascii("obscura/v1 sig chain-manifest"), new byte[1]);

  // ---- roster, docs/spec/devices-and-roster-v1.md section 2 ----

  private static final byte[] ROSTER_SIG_PREFIX = concat(ascii("obscura/v1 sig roster"), new byte[1]);

  /** A parsed roster: the fields this check needs. */
  record Roster(long version, byte[] previous, long created, byte[] cameraKey, long cameraSince,
      Map<String, Integer> roleByEd25519Hex, Map<String, String> ed25519HexByKeyId, byte[] signerId,
      byte[] body, byte[] signature, byte[] digest) {}

  /** Parses the canonical encoding, or returns null for anything malformed. */
  private static Roster parseRoster(byte[] r) {
    try {
      if (!Arrays.equals(Arrays.copyOfRange(r, 0, 4), ascii("OBSR")) || r[4] != 2) {
        return null;
      }
      int pos = 5;
      long version = u64(r, pos);
      pos += 8;
      byte[] previous = Arrays.copyOfRange(r, pos, pos + 32);
      pos += 32;
      if (version < 1 || (version == 1) != Arrays.equals(previous, new byte[32])) {
        return null;
      }
      long created = u64(r, pos);
      pos += 8;
      int flags = r[pos++] & 0xff;
      if ((flags & ~3) != 0) {
        return null;
      }
      byte[] cameraKey = null;
      long since = 0;
      if ((flags & 1) != 0) {
        cameraKey = Arrays.copyOfRange(r, pos, pos + 32);
        since = u64(r, pos + 32);
        pos += 40;
        if (since < 1 || since > version) {
          return null;
        }
      }
      if ((flags & 2) != 0) {
        pos += 89;
      }
      int members = ((r[pos] & 0xff) << 8) | (r[pos + 1] & 0xff);
      pos += 2;
      if (members < 1 || members > 256) {
        return null;
      }
      Map<String, Integer> roles = new HashMap<>();
      Map<String, String> byId = new HashMap<>();
      for (int i = 0; i < members; i++) {
        int role = r[pos] & 0xff;
        byte[] ed = Arrays.copyOfRange(r, pos + 33, pos + 65);
        int nameLength = r[pos + 65] & 0xff;
        if ((role != 1 && role != 2) || nameLength > 64 || pos + 66 + nameLength > r.length) {
          return null;
        }
        pos += 66 + nameLength;
        roles.put(HEX.formatHex(ed), role);
        byId.put(HEX.formatHex(Arrays.copyOfRange(sha256(ed), 0, 16)), HEX.formatHex(ed));
      }
      int revoked = ((r[pos] & 0xff) << 8) | (r[pos + 1] & 0xff);
      pos += 2 + 16 * revoked;
      byte[] signerId = Arrays.copyOfRange(r, pos, pos + 16);
      pos += 16;
      if (r.length != pos + 64) {
        return null;
      }
      return new Roster(version, previous, created, cameraKey, since, roles, byId, signerId,
          Arrays.copyOfRange(r, 0, pos), Arrays.copyOfRange(r, pos, r.length), sha256(ascii("obscura/v1 roster"), r));
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean signedByOwnerOf(Roster roster, Roster signers) {
    String ed = signers.ed25519HexByKeyId().get(HEX.formatHex(roster.signerId()));
    return ed != null && signers.roleByEd25519Hex().get(ed) == 1
        && ed25519Verify(HEX.parseHex(ed), concat(ROSTER_SIG_PREFIX, roster.body()), roster.signature());
  }

  /** Section 2.1: version 1 alone, or version N+1 against a trusted version N. */
  private static boolean rosterValid(Roster trusted, Roster next) {
    if (next == null) {
      return false;
    }
    if (trusted == null) {
      return next.version() == 1 && signedByOwnerOf(next, next);
    }
    if (next.version() != trusted.version() + 1 || !Arrays.equals(next.previous(), trusted.digest())
        || next.created() < trusted.created()) {
      return false;
    }
    if (trusted.cameraKey() != null) {
      if (next.cameraKey() == null) {
        return false;
      }
      long expectedSince = Arrays.equals(trusted.cameraKey(), next.cameraKey())
          ? trusted.cameraSince() : next.version();
      if (next.cameraSince() != expectedSince) {
        return false;
      }
    }
    String signer = trusted.ed25519HexByKeyId().get(HEX.formatHex(next.signerId()));
    return signedByOwnerOf(next, trusted) && next.roleByEd25519Hex().containsKey(signer);
  }

  private static Roster trustedOf(Map<String, String> v) {
    return "none".equals(v.get("trusted")) ? null : parseRoster(hex(v, "trusted"));
  }

  @Test
  void rosterVectorsVerifyAndChain() throws Exception {
    int valid = 0;
    for (String name : new String[] {"v1-paired", "v2-owner-adds-device", "v3-revocation", "v4-camera-replaced"}) {
      Map<String, String> v = vector("roster", name);
      assertEquals("valid", v.get("expect"), name);
      Roster next = parseRoster(hex(v, "roster"));
      assertTrue(rosterValid(trustedOf(v), next), name);
      assertArrayEquals(hex(v, "digest"), next.digest(), name + ": digest");
      valid++;
    }
    assertEquals(4, valid);
  }

  @Test
  void invalidRosterVectorsAreRefused() throws Exception {
    int refused = 0;
    try (var files = Files.list(dir("roster"))) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString().replace(".txt", "");
        Map<String, String> v = vector("roster", name);
        if ("valid".equals(v.get("expect"))) {
          continue;
        }
        if (v.get("expect").equals("ROLLBACK") || v.get("expect").equals("NOT_PAIRED")) {
          // ROLLBACK needs the pinned history, NOT_PAIRED the camera's pairing-record check
          // (section 3): rollbackIsRefusedAsOlderThanTheTrustedVersion, ghostGenesesAreNotPaired
          continue;
        }
        assertFalse(rosterValid(trustedOf(v), parseRoster(hex(v, "roster"))), name);
        refused++;
      }
    }
    assertEquals(10, refused);
  }

  // ---- rollback, section 2.1 (ROLLBACK) and section 3.6 ----

  /** Against a trusted version: {@code null} if a valid successor, else why it is refused. */
  private static String verdict(Roster trusted, Roster offered) {
    if (offered == null) {
      return "MALFORMED";
    }
    if (offered.version() < trusted.version() || (offered.version() == trusted.version()
        && !Arrays.equals(offered.digest(), trusted.digest()))) {
      return "ROLLBACK"; // older than the trusted version, or another roster at it
    }
    return rosterValid(trusted, offered) ? null : "NOT_VALID";
  }

  @Test
  void rollbackIsRefusedAsOlderThanTheTrustedVersion() throws Exception {
    int rollbacks = 0;
    for (String name : new String[] {"rollback"}) {
      Map<String, String> v = vector("roster", name);
      assertEquals("ROLLBACK", v.get("expect"), name);
      Roster trusted = trustedOf(v);
      Roster offered = parseRoster(hex(v, "roster"));
      assertNotNull(trusted, name);
      assertNotNull(offered, name);
      // the offered roster is genuine: the trusted version's own predecessor, signed by one of its
      // owners; only its age makes it a refusal
      assertArrayEquals(trusted.previous(), offered.digest(), name + ": not the trusted version's predecessor");
      assertTrue(signedByOwnerOf(offered, offered), name + ": not signed by its owner");
      assertEquals("ROLLBACK", verdict(trusted, offered), name);
      rollbacks++;
    }
    assertEquals(1, rollbacks);
    // the same rule accepts what the chain vectors say is the next version
    Map<String, String> v4 = vector("roster", "v4-camera-replaced");
    assertEquals(null, verdict(trustedOf(v4), parseRoster(hex(v4, "roster"))));
  }

  // ---- pairing, section 3.1 (code) and 3.3 (record), the camera's side of section 3.5 ----

  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /** Section 3.1: the secret of a pairing code, after its check; null if the code is refused. */
  private static byte[][] pairingCode(String text) {
    String t = text.replace("-", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    if (t.length() != 48) {
      return null;
    }
    byte[] code = new byte[30];
    long buffer = 0;
    int bits = 0;
    int out = 0;
    for (char ch : t.toCharArray()) {
      int d = BASE32.indexOf(ch);
      if (d < 0) {
        return null;
      }
      buffer = (buffer << 5) | d;
      bits += 5;
      if (bits >= 8) {
        code[out++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    byte[] fingerprint = Arrays.copyOfRange(code, 0, 12);
    byte[] secret = Arrays.copyOfRange(code, 12, 28);
    byte[] check = Arrays.copyOf(sha256(ascii("obscura/v1 pairing code"), fingerprint, secret), 2);
    return Arrays.equals(check, Arrays.copyOfRange(code, 28, 30)) ? new byte[][] {fingerprint, secret} : null;
  }

  private static byte[] hmacSha256(byte[] key, byte[] message) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(message, 0, message.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  /**
   * Section 3.3: whether {@code record} authenticates {@code roster} for the camera of {@code code}
   * (its key's id begins with the code's fingerprint, section 3.2) under the code's secret, and
   * section 3.5 step 2: the roster is signed by one of its own owners.
   */
  private static boolean pairs(String code, byte[] record, Roster roster) {
    byte[][] fs = pairingCode(code);
    if (fs == null || roster == null || record.length != 77
        || !Arrays.equals(Arrays.copyOf(record, 4), ascii("OBSP")) || record[4] != 1) {
      return false;
    }
    long version = u64(record, 5);
    byte[] cameraKey = Arrays.copyOfRange(record, 13, 45);
    byte[] tag = Arrays.copyOfRange(record, 45, 77);
    byte[] expected = hmacSha256(fs[1],
        concat(ascii("obscura/v1 pairing"), Arrays.copyOfRange(record, 5, 13), cameraKey, roster.digest()));
    return version >= 1 && version == roster.version()
        && Arrays.equals(Arrays.copyOf(sha256(cameraKey), 12), fs[0])
        && roster.cameraKey() != null && Arrays.equals(roster.cameraKey(), cameraKey)
        && org.bouncycastle.util.Arrays.constantTimeAreEqual(expected, tag)
        && signedByOwnerOf(roster, roster);
  }

  @Test
  void ghostGenesesAreNotPaired() throws Exception {
    // the genuine setup pairs, so the refusals below are not a decoder that pairs nothing
    Map<String, String> genuine = vector("roster", "v1-paired");
    assertTrue(pairs(genuine.get("pairing-code"), hex(genuine, "pairing-record"), parseRoster(hex(genuine, "roster"))));
    int ghosts = 0;
    for (String name : new String[] {"ghost-genesis", "ghost-pairing-replayed"}) {
      Map<String, String> v = vector("roster", name);
      assertEquals("NOT_PAIRED", v.get("expect"), name);
      Roster ghost = parseRoster(hex(v, "roster"));
      // a well-formed, self-signed version 1 pinning the real camera: only pairing tells it apart
      assertTrue(rosterValid(null, ghost), name + ": the ghost is not even a valid version 1");
      assertArrayEquals(parseRoster(hex(genuine, "roster")).cameraKey(), ghost.cameraKey(), name);
      assertEquals(genuine.get("pairing-code"), v.get("pairing-code"), name);
      assertFalse(pairs(v.get("pairing-code"), hex(v, "pairing-record"), ghost), name);
      ghosts++;
    }
    assertEquals(2, ghosts);
  }
}
