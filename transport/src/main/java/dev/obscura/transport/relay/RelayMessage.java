package dev.obscura.transport.relay;

/**
 * One message of the relay protocol ({@code docs/spec/relay-v1.md}): a {@link RelayFrame} or a
 * {@link RelayEnvelope}. Both carry an opaque payload that was sealed elsewhere; the relay and
 * these types never look inside it.
 *
 * <p><b>Ownership:</b> a message owns its payload array and does not copy it; nobody may modify
 * the array after the message is made.
 */
public sealed interface RelayMessage permits RelayFrame, RelayEnvelope {
  /** The key epoch the payload belongs to (0 to 2<sup>63</sup>-1). */
  long epoch();

  /** The opaque payload (an SFrame ciphertext or a sealed key envelope). Not copied. */
  byte[] payload();

  /** The length of this message on the wire: header plus payload. */
  default int wireLength() {
    return RelayWire.HEADER_LENGTH + payload().length;
  }
}
