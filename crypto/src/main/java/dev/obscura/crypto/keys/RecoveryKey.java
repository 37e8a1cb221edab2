package dev.obscura.crypto.keys;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public half of a recovery secret (a passphrase or a printed recovery code), as the owner
 * publishes it in the signed roster: an X25519 key the camera wraps every epoch key to, an
 * Ed25519 key that may sign the next roster (so a household that lost every device can enrol a
 * new one), and the Argon2id salt and costs that derive both from the secret.
 *
 * <p><b>Derivation:</b> {@code out = Argon2id(UTF-8(secret), salt, ad = "obscura/v1 recovery",
 * m, t, p, 64 bytes)}; the X25519 private key is {@code out[0..32]} (clamped), the Ed25519 seed
 * {@code out[32..64]}. A recovery code is normalized first (upper case, separators removed), so
 * {@code abcd-efgh...} and {@code ABCDEFGH...} are the same code.
 *
 * <p><b>Security guarantees:</b> {@link #unlock} returns the identity only if the secret derives
 * exactly the published public keys, else {@link WrongPassphraseException}. The secret, the
 * derived keys and the code never appear in {@code toString()} or messages.
 *
 * <p><b>Restrictions:</b> the protection of the whole archive rests on the secret: a recovery
 * code carries 120 bits; a passphrase only as many as it has, slowed by Argon2id (default 64 MiB,
 * 3 passes; {@link #decode} refuses less than {@link Argon2idParams.Floor#DEFAULT}, so a roster
 * whose recovery key has cheaper costs does not parse). {@link #create} accepts cheaper costs
 * for tests, but a roster signed with such a key is refused when signed or read. The roster
 * (public to the store) holds the salt and the public keys, so a weak
 * passphrase can be attacked offline by the provider.
 *
 * <p><b>Encoding</b> (89 bytes): X25519 public (32) || Ed25519 public (32) || salt (16) || u32
 * memory KiB || u32 iterations || u8 parallelism.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * String code = RecoveryKey.newRecoveryCode(EntropySource.system()); // print it once
 * RecoveryKey published = RecoveryKey.create(code.toCharArray(), Argon2idParams.DEFAULT, EntropySource.system());
 * // ... all devices lost:
 * ViewerIdentity restored = published.unlock(code.toCharArray());
 * }</pre>
 */
public final class RecoveryKey {
  /** Length of {@link #encode()}. */
  public static final int ENCODED_BYTES = 32 + 32 + Argon2idParams.SALT_BYTES + 4 + 4 + 1;
  private static final byte[] AD = "obscura/v1 recovery".getBytes(StandardCharsets.US_ASCII);
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final Pattern CODE = Pattern.compile("[A-Za-z2-7]{4}([- ]?[A-Za-z2-7]{4}){5}");

  private final ViewerPublicKey recipient;
  private final byte[] salt;
  private final Argon2idParams params;

  private RecoveryKey(ViewerPublicKey recipient, byte[] salt, Argon2idParams params) {
    this.recipient = recipient;
    this.salt = salt;
    this.params = params;
  }

  /** A fresh recovery code: 24 base32 characters (120 bits) in six groups of four. */
  public static String newRecoveryCode(EntropySource entropy) {
    byte[] r = new byte[15];
    entropy.nextBytes(r);
    StringBuilder sb = new StringBuilder(29);
    long acc = 0;
    int bits = 0;
    int n = 0;
    for (byte b : r) {
      acc = (acc << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        if (n > 0 && n % 4 == 0) {
          sb.append('-');
        }
        sb.append(BASE32.charAt((int) ((acc >>> bits) & 31)));
        n++;
      }
    }
    Arrays.fill(r, (byte) 0);
    return sb.toString();
  }

  /** Sets up recovery for {@code secret} with a fresh salt from {@code entropy}. */
  public static RecoveryKey create(char[] secret, Argon2idParams params, EntropySource entropy) {
    Objects.requireNonNull(params, "params");
    byte[] salt = new byte[Argon2idParams.SALT_BYTES];
    entropy.nextBytes(salt);
    ViewerIdentity id = derive(secret, salt, params);
    return new RecoveryKey(id.publicKey(), salt, params);
  }

  private static ViewerIdentity derive(char[] secret, byte[] salt, Argon2idParams params) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException("the recovery secret is empty");
    }
    char[] norm = normalize(secret);
    ByteBuffer enc = StandardCharsets.UTF_8.encode(CharBuffer.wrap(norm));
    byte[] in = new byte[enc.remaining()];
    enc.get(in);
    if (enc.hasArray()) {
      Arrays.fill(enc.array(), (byte) 0);
    }
    Arrays.fill(norm, '\0');
    byte[] out = params.derive(in, salt, AD, 64);
    Arrays.fill(in, (byte) 0);
    try {
      byte[] scalar = Arrays.copyOf(out, 32);
      SigningKey sk = SigningKey.fromSeed(SecretBytes.wrap(Arrays.copyOfRange(out, 32, 64)));
      return ViewerIdentity.fromScalar(scalar, sk);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  private static char[] normalize(char[] secret) {
    if (!CODE.matcher(CharBuffer.wrap(secret)).matches()) {
      return secret.clone();
    }
    char[] out = new char[24];
    int n = 0;
    for (char c : secret) {
      if (c != '-' && c != ' ') {
        out[n++] = Character.toUpperCase(c);
      }
    }
    return out;
  }

  /**
   * Derives the recovery identity from {@code secret}: it opens every envelope sealed since this
   * recovery key was published, and its signing key may sign the next roster.
   *
   * @throws WrongPassphraseException if the secret does not derive the published keys
   */
  public ViewerIdentity unlock(char[] secret) throws WrongPassphraseException {
    ViewerIdentity id = derive(secret, salt, params);
    if (!MessageDigest.isEqual(id.publicKey().rawBytes(), recipient.rawBytes())
        || !id.publicKey().equals(recipient)) {
      throw new WrongPassphraseException("the passphrase or recovery code does not match the roster's recovery key");
    }
    return id;
  }

  /** The recipient the camera wraps epoch keys to (its Ed25519 key included). */
  public ViewerPublicKey recipient() {
    return recipient;
  }

  /** The key that may sign the next roster on recovery. */
  public VerifyingKey verifyingKey() {
    return recipient.verifyingKey().get();
  }

  public Argon2idParams params() {
    return params;
  }

  /** The encoding above. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(ENCODED_BYTES);
    b.put(recipient.rawBytes());
    b.put(verifyingKey().rawBytes());
    b.put(salt);
    b.putInt(params.memoryKib());
    b.putInt(params.iterations());
    b.put((byte) params.parallelism());
    return b.array();
  }

  /**
   * Decodes {@link #encode()}, refusing Argon2id costs below {@link Argon2idParams.Floor#DEFAULT}
   * (this is how a roster's recovery key is read: a roster cannot make the recovery secret cheap
   * to guess, and a camera never wraps epoch keys to such a key).
   *
   * @throws IllegalArgumentException if the length, a key or a cost is invalid, or a cost is below
   *     the floor (the message names the field)
   */
  public static RecoveryKey decode(byte[] encoded) {
    return decode(encoded, Argon2idParams.Floor.DEFAULT);
  }

  /**
   * Decodes {@link #encode()}, refusing Argon2id costs below {@code floor}.
   *
   * @throws IllegalArgumentException if the length, a key or a cost is invalid, or a cost is below
   *     {@code floor} (the message names the field)
   */
  public static RecoveryKey decode(byte[] encoded, Argon2idParams.Floor floor) {
    Objects.requireNonNull(floor, "floor");
    if (encoded.length != ENCODED_BYTES) {
      throw new IllegalArgumentException("a recovery key is " + ENCODED_BYTES + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded);
    byte[] x = new byte[32];
    byte[] ed = new byte[32];
    byte[] salt = new byte[Argon2idParams.SALT_BYTES];
    b.get(x).get(ed).get(salt);
    Argon2idParams params = Argon2idParams.read(
        b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL, b.get() & 0xff, floor);
    return new RecoveryKey(ViewerPublicKey.fromRawBytes(x, VerifyingKey.fromRawBytes(ed)), salt, params);
  }

  /** The safety number of the recovery recipient. */
  public String fingerprint() {
    return recipient.fingerprint();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecoveryKey k && Arrays.equals(k.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "RecoveryKey[" + fingerprint() + ", " + params + "]";
  }
}
