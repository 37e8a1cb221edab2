package dev.obscura.crypto.share;

import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.segment.StreamRange;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an owner asks to share: a stream's time range, for one recipient (a viewer public key or a
 * passphrase), and why. {@code Household.share} checks it against the household's rules and makes
 * the {@link ShareGrant}. Built by {@link #builder()}; validated in {@link Builder#build()}.
 *
 * <p>A passphrase given here is copied, and the copy is erased once the grant is made; erase your
 * own.
 */
public final class ShareRequest {
  private final StreamId stream;
  private final StreamRange range;
  private final ViewerPublicKey recipient;
  private final byte[] passphrase;
  private final Argon2idParams cost;
  private final String reason;
  private boolean used;

  private ShareRequest(Builder b) {
    this.stream = b.stream;
    this.range = b.range;
    this.recipient = b.recipient;
    this.passphrase = b.passphrase;
    this.cost = b.cost;
    this.reason = b.reason;
  }

  /**
   * A new builder.
   *
   * @return a builder with no recipient, the whole stream, and {@link Argon2idParams#DEFAULT}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the stream shared */
  public StreamId stream() {
    return stream;
  }

  /** @return its range */
  public StreamRange range() {
    return range;
  }

  /** @return the recipient's public key, or null for a passphrase grant */
  public ViewerPublicKey recipient() {
    return recipient;
  }

  /** @return the signed reason */
  public String reason() {
    return reason;
  }

  /** @return the Argon2id cost of a passphrase grant */
  public Argon2idParams passphraseCost() {
    return cost;
  }

  /**
   * Makes the grant: sets this request's recipient (or passphrase) and reason on {@code grant},
   * whose store, stream, range, epoch keys, camera keys and owner the caller has verified, and
   * creates it. The request's copy of the passphrase is erased afterwards, so a request makes one
   * grant.
   *
   * @param grant the verified parts
   * @return the grant, recorded in the store's audit log
   * @throws java.io.IOException if the store fails
   * @throws dev.obscura.core.ObscuraException as {@link ShareGrant.Builder#create()}
   * @throws IllegalStateException if this request already made a grant
   */
  public ShareGrant create(ShareGrant.Builder grant) throws java.io.IOException, dev.obscura.core.ObscuraException {
    if (used) {
      throw new IllegalStateException("a share request makes one grant");
    }
    used = true;
    try {
      grant.reason(reason);
      if (recipient != null) {
        grant.recipient(recipient);
      } else {
        grant.passphrase(passphrase.clone(), cost); // the builder erases its copy
      }
      return grant.create();
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, (byte) 0);
      }
    }
  }

  @Override
  public String toString() {
    return "ShareRequest[" + stream + " " + range + ", " + (recipient != null ? "recipient " + recipient.fingerprint()
        : "passphrase") + "]";
  }

  /** Builds a {@link ShareRequest}. */
  public static final class Builder {
    private StreamId stream;
    private StreamRange range = StreamRange.all();
    private ViewerPublicKey recipient;
    private byte[] passphrase;
    private Argon2idParams cost = Argon2idParams.DEFAULT;
    private String reason;

    private Builder() {}

    /**
     * @param stream the stream to share (required)
     * @return this builder
     */
    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    /**
     * @param range the range to share (default: the whole stream)
     * @return this builder
     */
    public Builder range(StreamRange range) {
      this.range = Objects.requireNonNull(range, "range");
      return this;
    }

    /**
     * Wraps the keys for a viewer's public key. Exclusive with {@link #passphrase}.
     *
     * @param recipient the recipient's device key
     * @return this builder
     */
    public Builder recipient(ViewerPublicKey recipient) {
      this.recipient = Objects.requireNonNull(recipient, "recipient");
      return this;
    }

    /**
     * Wraps the keys under a passphrase (Argon2id at {@code cost}). Exclusive with {@link
     * #recipient}. The bytes are copied.
     *
     * @param passphrase not empty
     * @param cost the Argon2id cost
     * @return this builder
     */
    public Builder passphrase(byte[] passphrase, Argon2idParams cost) {
      this.passphrase = Objects.requireNonNull(passphrase, "passphrase").clone();
      this.cost = Objects.requireNonNull(cost, "cost");
      return this;
    }

    /**
     * @param reason why the footage is shared (signed into the record, not encrypted; required)
     * @return this builder
     */
    public Builder reason(String reason) {
      this.reason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /**
     * @return the request
     * @throws IllegalStateException if the stream or reason is missing, or not exactly one of
     *     recipient and passphrase is set
     * @throws IllegalArgumentException if the passphrase is empty
     */
    public ShareRequest build() {
      if (stream == null || reason == null) {
        throw new IllegalStateException("stream and reason are required");
      }
      if ((recipient == null) == (passphrase == null)) {
        throw new IllegalStateException("exactly one of recipient and passphrase is required");
      }
      if (passphrase != null && passphrase.length == 0) {
        throw new IllegalArgumentException("the passphrase is empty");
      }
      return new ShareRequest(this);
    }
  }
}
