package dev.obscura.crypto.roster;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.PairingRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates the roster test vectors of {@code docs/spec/vectors/roster/} (roster format 2) from
 * the public API and deterministic keys: one scenario per file, with {@code expect:} and {@code
 * comment:} headers. {@code trusted:} is the roster the candidate is checked against ({@code none}:
 * checked as version 1). A vector with {@code pairing-code:} also carries the {@code
 * pairing-record:} stored beside the roster; {@code expect: valid} means the code's secret
 * authenticates it, {@code expect: NOT_PAIRED} that it does not (the camera refuses the roster).
 */
final class RosterVectors {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  /** Version 1 of the vectors as they were in roster format 1 (trust on first use): now refused. */
  static final String FORMAT_1_V1 =
      "4f42535201000000000000000100000000000000000000000000000000000000000000000000000000000000000006612caed650000000010140e913b735c3f408e7c85ca9bfbb5af8196911ea249fe96d4e96abafcbaa1d38810f94d89039eee11d927f71e2a9e4550cbda306d4cd8e5acf6020885ed381a10570686f6e650000d4dcd859e135897a0403213116994931da619ec7b94510318b9ac89cdf6f9e4c4f7e3a0d3c73b50ae7de2e2ae31aaacc1ff225b7fde12838ced169b067b6090a716d77858e2fbd8331bcd03c5d913c0c";

  private RosterVectors() {}

  static ViewerIdentity device(long seed) {
    return ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(seed));
  }

  static SigningKey sk(ViewerIdentity id) {
    return id.signingKey().orElseThrow();
  }

  static Map<String, String> generate() {
    ViewerIdentity owner = device(1);
    ViewerIdentity tablet = device(2);
    ViewerIdentity ghost = device(666);
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(5));
    SigningKey newCamera = SigningKey.generate(EntropySource.insecureDeterministicForTests(6));
    PairingCode code = PairingCode.generate(camera.verifyingKey(), EntropySource.insecureDeterministicForTests(7));
    PairingCode guessed = PairingCode.generate(camera.verifyingKey(), EntropySource.insecureDeterministicForTests(8));
    Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone")
        .camera(camera.verifyingKey()).sign(sk(owner));
    Roster v2 = v1.next().created(T0.plusSeconds(60)).add(tablet.publicKey(), Roster.Role.OWNER, "tablet").sign(sk(owner));
    Roster v3 = v2.next().created(T0.plusSeconds(120)).revoke(tablet.publicKey()).sign(sk(owner));
    Roster v4 = v3.next().created(T0.plusSeconds(180)).camera(newCamera.verifyingKey()).sign(sk(owner));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("v1-paired.txt", vector("v1-paired", "valid",
        "Camera setup: version 1 with one owner, signed by that owner, pinning the camera (in force from version 1);"
            + " the pairing record is HMAC-SHA256 under the secret of the pairing code.",
        null, v1.encoded(), code, PairingRecord.create(v1, code).encode()));
    out.put("v2-owner-adds-device.txt", vector("v2-owner-adds-device", "valid",
        "Version 2 adds a second owner, signed by the first; previous digest = digest(v1); the camera key and"
            + " its since-version are kept.", v1, v2.encoded()));
    out.put("v3-revocation.txt", vector("v3-revocation", "valid",
        "Version 3 revokes the tablet: it leaves the members and its Ed25519 key id is listed as revoked.",
        v2, v3.encoded()));
    out.put("v4-camera-replaced.txt", vector("v4-camera-replaced", "valid",
        "Version 4 pins a new camera key, in force from version 4: the old key is retired from its signing time on.",
        v3, v4.encoded()));
    Roster storeMade = Roster.genesis().created(T0).add(ghost.publicKey(), Roster.Role.OWNER, "ghost")
        .camera(camera.verifyingKey()).sign(sk(ghost));
    out.put("ghost-genesis.txt", vector("ghost-genesis", "NOT_PAIRED",
        "A store makes its own version 1 (self-signed, pinning the real camera) and a pairing record under a"
            + " secret it guessed: the camera's own secret (pairing-code) does not authenticate it.",
        null, storeMade.encoded(), code, PairingRecord.create(storeMade, guessed).encode()));
    out.put("ghost-pairing-replayed.txt", vector("ghost-pairing-replayed", "NOT_PAIRED",
        "The genuine pairing record of version 1, stored beside a store-made version 1: the tag binds the"
            + " roster digest.", null, storeMade.encoded(), code, PairingRecord.create(v1, code).encode()));
    byte[] unsigned = v1.next().created(T0.plusSeconds(60)).add(ghost.publicKey(), Roster.Role.VIEWER, "ghost")
        .sign(sk(owner)).encoded();
    Arrays.fill(unsigned, unsigned.length - 64, unsigned.length, (byte) 0);
    out.put("ghost-unsigned.txt", vector("ghost-unsigned", "BAD_SIGNATURE",
        "A store adds its own device; the signature is zero (claims the owner as signer).", v1, unsigned));
    out.put("ghost-signed-by-non-member.txt", vector("ghost-signed-by-non-member", "SIGNER_NOT_MEMBER",
        "A store adds its own device and signs with its own key.", v1,
        v1.next().created(T0.plusSeconds(60)).add(ghost.publicKey(), Roster.Role.OWNER, "ghost").sign(sk(ghost)).encoded()));
    out.put("ghost-signed-by-revoked.txt", vector("ghost-signed-by-revoked", "SIGNER_REVOKED",
        "The revoked tablet re-enrols itself and a ghost.", v3,
        v3.next().created(T0.plusSeconds(180)).add(ghost.publicKey(), Roster.Role.VIEWER, "ghost")
            .add(tablet.publicKey(), Roster.Role.OWNER, "tablet").sign(sk(tablet)).encoded()));
    out.put("rollback.txt", vector("rollback", "ROLLBACK",
        "Version 2 (which still lists the tablet) offered to a reader that trusts version 3.", v3, v2.encoded()));
    byte[] altered = v2.encoded();
    altered[altered.length - 80 - 16 - 2 - 10] ^= 1; // inside a member name of v2
    out.put("altered-after-signing.txt", vector("altered-after-signing", "BAD_SIGNATURE",
        "One bit of version 2 changed after it was signed.", v1, altered));
    // the same contents as a version 2 of a camera-less version 1, chained to v1 and signed again
    Roster bare = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").sign(sk(owner))
        .next().created(T0.plusSeconds(60)).sign(sk(owner));
    out.put("camera-dropped.txt", vector("camera-dropped", "NOT_SUCCESSOR",
        "Version 2 signed by the owner but without the camera key version 1 pinned.", v1,
        chainTo(bare.encoded(), v1, sk(owner))));
    out.put("camera-since-wrong.txt", vector("camera-since-wrong", "NOT_SUCCESSOR",
        "Version 4 pins a new camera key but claims it in force since version 1 (it must be 4).", v3,
        v3.next().created(T0.plusSeconds(180)).camera(newCamera.verifyingKey()).cameraSince(1).sign(sk(owner)).encoded()));
    out.put("camera-since-moved.txt", vector("camera-since-moved", "NOT_SUCCESSOR",
        "Version 2 keeps the camera key but moves its since-version from 1 to 2.", v1,
        v1.next().created(T0.plusSeconds(60)).cameraSince(2).sign(sk(owner)).encoded()));
    out.put("signed-before-predecessor.txt", vector("signed-before-predecessor", "NOT_SUCCESSOR",
        "Version 2 signed (by its created time) one second before version 1.", v1,
        v1.next().created(T0.minusSeconds(1)).add(tablet.publicKey(), Roster.Role.VIEWER, "tablet")
            .sign(sk(owner)).encoded()));
    byte[] bigger = v1.encoded();
    bigger[4] = 3;
    out.put("unknown-format.txt", vector("unknown-format", "MalformedDataException",
        "Format byte 3.", null, bigger));
    out.put("format-1-refused.txt", vector("format-1-refused", "MalformedDataException",
        "Version 1 in roster format 1 (trust on first use, no camera since-version, no signing time): no"
            + " longer read.", null, HexFormat.of().parseHex(FORMAT_1_V1)));
    return out;
  }

  /** {@code encoded} with its previous digest replaced by {@code previous}'s, signed again by {@code signer}. */
  static byte[] chainTo(byte[] encoded, Roster previous, SigningKey signer) {
    byte[] body = Arrays.copyOf(encoded, encoded.length - 64);
    System.arraycopy(previous.digest(), 0, body, 4 + 1 + 8, 32);
    byte[] sig = signer.sign(SignaturePurpose.ROSTER, body);
    byte[] all = Arrays.copyOf(body, body.length + sig.length);
    System.arraycopy(sig, 0, all, body.length, sig.length);
    return all;
  }

  private static String vector(String name, String expect, String comment, Roster trusted, byte[] roster) {
    return vector(name, expect, comment, trusted, roster, null, null);
  }

  private static String vector(String name, String expect, String comment, Roster trusted, byte[] roster,
      PairingCode code, byte[] record) {
    StringBuilder sb = new StringBuilder();
    sb.append("scenario: ").append(name).append('\n');
    sb.append("expect: ").append(expect).append('\n');
    sb.append("comment: ").append(comment).append('\n');
    sb.append("trusted: ").append(trusted == null ? "none" : HexFormat.of().formatHex(trusted.encoded())).append('\n');
    sb.append("roster: ").append(HexFormat.of().formatHex(roster)).append('\n');
    if (code != null) {
      sb.append("pairing-code: ").append(code.toCodeString()).append('\n');
      sb.append("pairing-record: ").append(HexFormat.of().formatHex(record)).append('\n');
    }
    if (expect.equals("valid")) {
      try {
        Roster r = Roster.parse(roster);
        sb.append("digest: ").append(HexFormat.of().formatHex(r.digest())).append('\n');
        sb.append("fingerprint: ").append(r.fingerprint()).append('\n');
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }
}
