package dev.obscura.crypto.trust;

import dev.obscura.crypto.roster.Roster;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an owner's device shows when it enrols another ({@code device add} prints it): the roster
 * version it signed, that roster's digest, and the fingerprint of the camera key in force. The
 * new device passes it once, on first contact with the store, so that its first roster is
 * authenticated rather than trusted on first use.
 *
 * <p><b>Encoding</b>: {@code VERSION:DIGEST:CAMERA}, where DIGEST is the first 20 bytes of the
 * roster digest and CAMERA the first 5 bytes of the camera key id (or, for a roster that pins no
 * camera, five zero bytes), each in base32 groups of four ({@link PairingCode}'s alphabet). For
 * example {@code 2:ABCD-EFGH-...:WXYZ-ABCD}. Not secret: it only has to reach the device intact.
 */
public record EnrolmentCode(long version, byte[] digestPrefix, byte[] cameraPrefix) {
  static final int DIGEST_BYTES = 20;
  static final int CAMERA_BYTES = 5;

  public EnrolmentCode {
    if (version < 1) {
      throw new IllegalArgumentException("a roster version is >= 1");
    }
    if (digestPrefix.length != DIGEST_BYTES || cameraPrefix.length != CAMERA_BYTES) {
      throw new IllegalArgumentException("wrong enrolment code part sizes");
    }
    digestPrefix = digestPrefix.clone();
    cameraPrefix = cameraPrefix.clone();
  }

  /** The code of {@code roster}. */
  public static EnrolmentCode of(Roster roster) {
    byte[] camera = roster.camera().map(k -> Arrays.copyOf(k.keyId(), CAMERA_BYTES)).orElse(new byte[CAMERA_BYTES]);
    return new EnrolmentCode(roster.version(), Arrays.copyOf(roster.digest(), DIGEST_BYTES), camera);
  }

  /**
   * Reads a code as printed.
   *
   * @throws IllegalArgumentException if it is not of the form {@code VERSION:DIGEST:CAMERA}
   */
  public static EnrolmentCode parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] p = text.trim().split(":");
    if (p.length != 3 || !p[0].matches("[0-9]{1,18}")) {
      throw new IllegalArgumentException("not an enrolment code: expected VERSION:DIGEST:CAMERA as device add prints it");
    }
    return new EnrolmentCode(Long.parseLong(p[0]), Codes.parse(p[1], DIGEST_BYTES, "an enrolment code digest"),
        Codes.parse(p[2], CAMERA_BYTES, "an enrolment code camera fingerprint"));
  }

  /** Whether {@code roster} is the one this code names. */
  public boolean names(Roster roster) {
    EnrolmentCode other = of(roster);
    return other.version == version && MessageDigest.isEqual(other.digestPrefix, digestPrefix)
        && MessageDigest.isEqual(other.cameraPrefix, cameraPrefix);
  }

  @Override
  public byte[] digestPrefix() {
    return digestPrefix.clone();
  }

  @Override
  public byte[] cameraPrefix() {
    return cameraPrefix.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnrolmentCode c && c.version == version && Arrays.equals(c.digestPrefix, digestPrefix)
        && Arrays.equals(c.cameraPrefix, cameraPrefix);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + Arrays.hashCode(digestPrefix);
  }

  /** The printed form. */
  @Override
  public String toString() {
    return version + ":" + Codes.format(digestPrefix) + ":" + Codes.format(cameraPrefix);
  }
}
