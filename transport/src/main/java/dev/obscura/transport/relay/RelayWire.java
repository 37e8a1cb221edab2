package dev.obscura.transport.relay;

import dev.obscura.core.MalformedDataException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encoding and bounded parsing of relay protocol v1 messages ({@code docs/spec/relay-v1.md}).
 * Each WebSocket binary message is one 24-byte public header followed by an opaque payload:
 *
 * <pre>
 * offset size field
 *  0      1   version (1)
 *  1      1   type: 1 = FRAME, 2 = ENVELOPE
 *  2      1   flags: 0x01 = KEYFRAME (FRAME only); other bits reserved, zero
 *  3      1   reserved, zero
 *  4      8   epoch (unsigned 63-bit, big-endian)
 *  12     8   sequence (u64, big-endian; FRAME: publisher's frame counter; ENVELOPE: zero)
 *  20     4   payload length n (u32, big-endian) = message length - 24, 1 &lt;= n
 *  24     n   payload (opaque)
 * </pre>
 *
 * <p><b>Restrictions:</b> parsing checks every field before it allocates; it never allocates
 * more than the message it is given. Error messages name the field, never payload bytes.
 */
public final class RelayWire {
  /** The WebSocket subprotocol a v1 client offers and a v1 relay selects. */
  public static final String SUBPROTOCOL = "obscura-relay.v1";
  /** The protocol version in byte 0 of every message. */
  public static final int VERSION = 1;
  /** The length of the public header in bytes. */
  public static final int HEADER_LENGTH = 24;
  /** Type byte of a FRAME message. */
  public static final int TYPE_FRAME = 1;
  /** Type byte of an ENVELOPE message. */
  public static final int TYPE_ENVELOPE = 2;
  /** Flag bit: the frame is a keyframe. */
  public static final int FLAG_KEYFRAME = 0x01;

  private RelayWire() {}

  /** The checks of {@link RelayFrame} and {@link RelayEnvelope}: epoch >= 0, payload not empty. */
  static void checkFields(long epoch, byte[] payload) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0");
    }
    Objects.requireNonNull(payload, "payload");
    if (payload.length == 0) {
      throw new IllegalArgumentException("payload must not be empty");
    }
  }

  /** Encodes a message: header plus a copy of the payload, as one array. */
  public static byte[] encode(RelayMessage message) {
    byte[] payload = message.payload();
    if (message instanceof RelayFrame f) {
      return encodeFrame(f.epoch(), f.sequence(), f.keyframe(), payload, 0, payload.length);
    }
    byte[] out = new byte[HEADER_LENGTH + payload.length];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put((byte) VERSION);
    b.put((byte) TYPE_ENVELOPE);
    b.put((byte) 0);
    b.put((byte) 0);
    b.putLong(message.epoch());
    b.putLong(0L);
    b.putInt(payload.length);
    b.put(payload);
    return out;
  }

  /**
   * Encodes a frame message whose payload is {@code payload[offset, offset + length)}: the same
   * bytes as {@link #encode} of the equal {@link RelayFrame}, without making the record.
   *
   * @return header plus a copy of the payload, as one new array
   * @throws IndexOutOfBoundsException if the range lies outside {@code payload}
   */
  public static byte[] encodeFrame(long epoch, long sequence, boolean keyframe, byte[] payload,
      int offset, int length) {
    if (offset < 0 || length < 0 || offset > payload.length - length) {
      throw new IndexOutOfBoundsException("payload range out of bounds");
    }
    byte[] out = new byte[HEADER_LENGTH + length];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put((byte) VERSION);
    b.put((byte) TYPE_FRAME);
    b.put((byte) (keyframe ? FLAG_KEYFRAME : 0));
    b.put((byte) 0);
    b.putLong(epoch);
    b.putLong(sequence);
    b.putInt(length);
    b.put(payload, offset, length);
    return out;
  }

  /**
   * Parses one whole message.
   *
   * @param message the bytes of one WebSocket binary message
   * @param maxMessageBytes the largest message accepted, header included
   * @throws MalformedDataException if a field is out of range or the length does not match
   */
  public static RelayMessage decode(byte[] message, int maxMessageBytes)
      throws MalformedDataException {
    Header h = parseHeader(message, maxMessageBytes);
    byte[] payload = Arrays.copyOfRange(message, HEADER_LENGTH, message.length);
    return h.type == TYPE_FRAME
        ? new RelayFrame(h.epoch, h.sequence, h.keyframe, payload)
        : new RelayEnvelope(h.epoch, payload);
  }

  /**
   * Checks a whole message and returns its header fields, without copying the payload. The relay
   * uses this to route a message it forwards unchanged.
   */
  public static Header parseHeader(byte[] message, int maxMessageBytes)
      throws MalformedDataException {
    if (message.length > maxMessageBytes) {
      throw new MalformedDataException("relay message of " + message.length
          + " bytes exceeds the limit of " + maxMessageBytes);
    }
    if (message.length < HEADER_LENGTH + 1) {
      throw new MalformedDataException("relay message shorter than header plus one payload byte");
    }
    ByteBuffer b = ByteBuffer.wrap(message);
    int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new MalformedDataException("unsupported relay protocol version " + version);
    }
    int type = b.get() & 0xff;
    if (type != TYPE_FRAME && type != TYPE_ENVELOPE) {
      throw new MalformedDataException("unknown relay message type " + type);
    }
    int flags = b.get() & 0xff;
    int allowed = type == TYPE_FRAME ? FLAG_KEYFRAME : 0;
    if ((flags & ~allowed) != 0) {
      throw new MalformedDataException("reserved flag bits set");
    }
    if (b.get() != 0) {
      throw new MalformedDataException("reserved byte is not zero");
    }
    long epoch = b.getLong();
    if (epoch < 0) {
      throw new MalformedDataException("epoch out of range");
    }
    long sequence = b.getLong();
    if (type == TYPE_ENVELOPE && sequence != 0) {
      throw new MalformedDataException("sequence of an envelope is not zero");
    }
    long length = b.getInt() & 0xffffffffL;
    if (length != message.length - HEADER_LENGTH) {
      throw new MalformedDataException("payload length field does not match the message length");
    }
    return new Header(type, (flags & FLAG_KEYFRAME) != 0, epoch, sequence, (int) length);
  }

  /**
   * The public header fields of one message.
   *
   * @param type {@link #TYPE_FRAME} or {@link #TYPE_ENVELOPE}
   * @param keyframe the KEYFRAME flag
   * @param epoch the epoch
   * @param sequence the sequence field
   * @param payloadLength the payload length in bytes
   */
  public record Header(int type, boolean keyframe, long epoch, long sequence, int payloadLength) {
    /** Whether this is a FRAME message. */
    public boolean isFrame() {
      return type == TYPE_FRAME;
    }
  }
}
