package dev.obscura.crypto.keys;

import com.google.crypto.tink.subtle.AesGcmJce;
import dev.obscura.core.EntropySource;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Key protection by a passphrase (scheme {@value #SCHEME}): the wrapping key is Argon2id of the
 * passphrase, computed with Bouncy Castle's lightweight Argon2 (no JCA provider is registered).
 *
 * <p><b>Security guarantees:</b> a wrapped key opens only with the same passphrase and
 * associated data; a changed byte fails. A reader refuses wrapped bytes whose Argon2id costs are
 * below its {@linkplain #withArgon2idFloor floor} ({@link Argon2idParams.Floor#DEFAULT} unless
 * set), before deriving anything: a file cannot make its own passphrase cheap to guess. The
 * passphrase never appears in {@code toString()} or in messages.
 *
 * <p><b>Restrictions:</b> about half a second of Argon2id (64 MiB) per wrap and unwrap with the
 * default costs; the passphrase copy in this object is wiped by {@link #destroy()}, not by the
 * garbage collector.
 *
 * <p><b>Wrapped bytes:</b> {@code 0x01 || BE32(m) || BE32(t) || BE32(p) || salt (16 bytes) ||
 * AES-256-GCM(iv || ciphertext || tag)}, key = Argon2id(UTF-8 passphrase, salt, Argon2 associated
 * data "obscura/v3 key file", m KiB, t passes, p lanes, 32 bytes), GCM associated data = {@code
 * ad ||} the 29 bytes before the GCM part.
 */
public final class PassphraseProtection implements KeyProtection {
  /** The scheme name written into key files. */
  public static final String SCHEME = "argon2id";

  static final byte[] ARGON_AD_V2 = "obscura/v2 key file".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ARGON_AD = "obscura/v3 key file".getBytes(StandardCharsets.US_ASCII);
  private static final byte VERSION = 1;
  private static final int HEAD_BYTES = 1 + 12 + Argon2idParams.SALT_BYTES;

  private final char[] passphrase;
  private final Argon2idParams params;
  private final Argon2idParams.Floor floor;
  private final EntropySource entropy;

  private PassphraseProtection(char[] passphrase, Argon2idParams params, Argon2idParams.Floor floor,
      EntropySource entropy) {
    this.passphrase = passphrase;
    this.params = params;
    this.floor = floor;
    this.entropy = entropy;
  }

  /**
   * Protection by {@code passphrase} (copied; the caller should wipe its array).
   *
   * @param passphrase the passphrase, not empty
   * @return the protection, with {@link Argon2idParams#DEFAULT} and {@link
   *     Argon2idParams.Floor#DEFAULT}
   * @throws IllegalArgumentException if the passphrase is empty
   */
  public static PassphraseProtection of(char[] passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length == 0) {
      throw new IllegalArgumentException("the passphrase is empty");
    }
    return new PassphraseProtection(passphrase.clone(), Argon2idParams.DEFAULT, Argon2idParams.Floor.DEFAULT,
        EntropySource.system());
  }

  /**
   * The same protection, deriving with {@code params} when wrapping. Costs below the reading
   * floor are written (tests do, to run fast), but a reader with the default floor refuses them.
   *
   * @param params the Argon2id costs for new files
   * @return the protection
   */
  public PassphraseProtection withArgon2id(Argon2idParams params) {
    return new PassphraseProtection(passphrase, Objects.requireNonNull(params, "params"), floor, entropy);
  }

  /**
   * The same protection, refusing when unwrapping any costs below {@code floor}. Default {@link
   * Argon2idParams.Floor#DEFAULT}; only tests pass {@link
   * Argon2idParams.Floor#INSECURE_NONE_FOR_TESTS}.
   *
   * @param floor the least costs accepted
   * @return the protection
   */
  public PassphraseProtection withArgon2idFloor(Argon2idParams.Floor floor) {
    return new PassphraseProtection(passphrase, params, Objects.requireNonNull(floor, "floor"), entropy);
  }

  /**
   * The same protection, drawing salts from {@code entropy}.
   *
   * @param entropy where salts come from
   * @return the protection
   */
  public PassphraseProtection withEntropy(EntropySource entropy) {
    return new PassphraseProtection(passphrase, params, floor, Objects.requireNonNull(entropy, "entropy"));
  }

  /**
   * The least Argon2id costs this protection unwraps.
   *
   * @return the floor
   */
  public Argon2idParams.Floor argon2idFloor() {
    return floor;
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public byte[] wrap(byte[] secret, byte[] associatedData) throws GeneralSecurityException {
    byte[] salt = new byte[Argon2idParams.SALT_BYTES];
    entropy.nextBytes(salt);
    ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
    head.put(VERSION).putInt(params.memoryKib()).putInt(params.iterations()).putInt(params.parallelism())
        .put(salt);
    byte[] key = derive(params, salt, ARGON_AD);
    try {
      byte[] sealed = new AesGcmJce(key).encrypt(secret, PlatformKeyFile.concat(associatedData, head.array()));
      return PlatformKeyFile.concat(head.array(), sealed);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
    if (wrapped.length < HEAD_BYTES || wrapped[0] != VERSION) {
      throw new GeneralSecurityException("not wrapped under a passphrase");
    }
    ByteBuffer b = ByteBuffer.wrap(wrapped);
    b.get();
    Argon2idParams p;
    try {
      p = Argon2idParams.of(b.getInt(), b.getInt(), b.getInt());
    } catch (IllegalArgumentException e) {
      throw new RefusedProtectionException("bad argon2id parameters: " + e.getMessage());
    }
    checkFloor(p);
    byte[] salt = Arrays.copyOfRange(wrapped, 13, HEAD_BYTES);
    byte[] key = derive(p, salt, ARGON_AD);
    try {
      return new AesGcmJce(key).decrypt(Arrays.copyOfRange(wrapped, HEAD_BYTES, wrapped.length),
          PlatformKeyFile.concat(associatedData, Arrays.copyOf(wrapped, HEAD_BYTES)));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Refuses costs below this reader's floor, naming the field. */
  void checkFloor(Argon2idParams p) throws RefusedProtectionException {
    String weak = floor.problem(p);
    if (weak != null) {
      throw new RefusedProtectionException(weak);
    }
  }

  /** The wrapping key for {@code p} and {@code salt} under Argon2's associated data {@code ad}. */
  byte[] derive(Argon2idParams p, byte[] salt, byte[] ad) {
    byte[] pass = passphraseBytes();
    try {
      return p.derive(pass, salt, ad, 32);
    } finally {
      Arrays.fill(pass, (byte) 0);
    }
  }

  private byte[] passphraseBytes() {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  /** Forgets the passphrase (overwrites this object's copy; copies made by {@code with...} share it). */
  public void destroy() {
    Arrays.fill(passphrase, '\0');
  }

  @Override
  public String toString() {
    return "KeyProtection[passphrase, " + params + "]";
  }
}
