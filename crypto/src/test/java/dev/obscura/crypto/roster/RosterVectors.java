package dev.obscura.crypto.roster;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sign.SigningKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates the roster test vectors of {@code docs/spec/vectors/roster/} from the public API and
 * deterministic keys: one scenario per file, with {@code expect:} and {@code comment:} headers.
 */
final class RosterVectors {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

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
    Roster v1 = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "phone").sign(sk(owner));
    Roster v2 = v1.next().created(T0.plusSeconds(60)).add(tablet.publicKey(), Roster.Role.OWNER, "tablet").sign(sk(owner));
    Roster v3 = v2.next().created(T0.plusSeconds(120)).revoke(tablet.publicKey()).sign(sk(owner));
    Map<String, String> out = new LinkedHashMap<>();
    out.put("v1-self-signed.txt", vector("v1-self-signed", "valid",
        "Camera setup: version 1 with one owner, signed by that owner.", null, v1.encoded()));
    out.put("v2-owner-adds-device.txt", vector("v2-owner-adds-device", "valid",
        "Version 2 adds a second owner, signed by the first; previous digest = digest(v1).", v1, v2.encoded()));
    out.put("v3-revocation.txt", vector("v3-revocation", "valid",
        "Version 3 revokes the tablet: it leaves the members and its Ed25519 key id is listed as revoked.",
        v2, v3.encoded()));
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
    byte[] bigger = v1.encoded();
    bigger[4] = 2;
    out.put("unknown-format.txt", vector("unknown-format", "MalformedDataException",
        "Format byte 2.", null, bigger));
    return out;
  }

  private static String vector(String name, String expect, String comment, Roster trusted, byte[] roster) {
    StringBuilder sb = new StringBuilder();
    sb.append("scenario: ").append(name).append('\n');
    sb.append("expect: ").append(expect).append('\n');
    sb.append("comment: ").append(comment).append('\n');
    sb.append("trusted: ").append(trusted == null ? "none" : HexFormat.of().formatHex(trusted.encoded())).append('\n');
    sb.append("roster: ").append(HexFormat.of().formatHex(roster)).append('\n');
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
