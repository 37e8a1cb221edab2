package dev.obscura.crypto.sign;

import java.nio.charset.StandardCharsets;

/**
 * What a signature is for. Every Obscura signature covers {@code "obscura/v1 sig " || label ||
 * 0x00 || message}, so a signature made for one purpose can never be replayed as another (a
 * roster signature as an audit entry, say).
 */
public enum SignaturePurpose {
  /** A signed roster of enrolled devices. */
  ROSTER("roster"),
  /** A camera's signature over a key envelope. */
  ENVELOPE("envelope"),
  /** A camera's signature over a hash chain of segment digests. */
  CHAIN_MANIFEST("chain-manifest"),
  /** An owner's signed record of a consented share. */
  SHARE_RECORD("share-record"),
  /** An entry of the audit log. */
  AUDIT_ENTRY("audit-entry"),
  /** A camera's signature over a sealed motion event ({@code docs/spec/motion-event-v1.md}). */
  MOTION_EVENT("motion-event"),
  /** Test and tooling use only. */
  TEST("test");

  private final byte[] prefix;

  SignaturePurpose(String label) {
    byte[] head = ("obscura/v1 sig " + label).getBytes(StandardCharsets.US_ASCII);
    this.prefix = new byte[head.length + 1];
    System.arraycopy(head, 0, prefix, 0, head.length);
  }

  /** The bytes actually signed for {@code message}. */
  byte[] signedBytes(byte[] message) {
    byte[] out = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(message, 0, out, prefix.length, message.length);
    return out;
  }
}
