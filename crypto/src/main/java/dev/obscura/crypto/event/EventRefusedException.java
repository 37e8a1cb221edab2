package dev.obscura.crypto.event;

import dev.obscura.core.IntegrityException;
import java.util.Objects;

/**
 * A sealed motion event was refused by the device: forged, moved, replayed or out of order. No
 * part of its plaintext was released. {@link #reason()} says which check failed.
 */
public final class EventRefusedException extends IntegrityException {
  private static final long serialVersionUID = 1L;

  /** Which check refused the event. */
  public enum Reason {
    /** The camera's signature does not verify under the camera key in force for the epoch. */
    SIGNATURE,
    /** There is no pinned camera key to check the signature against. */
    NO_CAMERA_KEY,
    /** The ciphertext does not open under the epoch's event key (tampered, or another key). */
    DECRYPTION,
    /** The object's name, or the bus message's stream or id, is not the one sealed inside. */
    MOVED,
    /** This device accepted an event with this id before. */
    REPLAYED,
    /** The event's sequence is not after the last one this device accepted of the stream. */
    REORDERED,
    /** The plaintext opened but breaks the format's rules (padding not zero, times reversed). */
    CONTENT
  }

  private final Reason reason;

  /**
   * @param reason which check failed
   * @param message what was refused, without secrets
   */
  public EventRefusedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Which check failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
