package dev.obscura.crypto.keys;

import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Cost parameters of Argon2id (RFC 9106), used to turn a passphrase or a recovery code into a
 * key. Immutable; validated on construction.
 *
 * <p>The default, {@link #DEFAULT}, is m = 64 MiB, t = 3, p = 1 (RFC 9106's second recommended
 * option, "if much less memory is available"): on the 2-core reference machine one derivation
 * takes roughly half a second. Parameters read from a file or a roster are bounded by {@link
 * #MAX_MEMORY_KIB}, {@link #MAX_ITERATIONS} and {@link #MAX_PARALLELISM} so that a hostile file
 * cannot make a reader allocate gigabytes or spin for hours.
 *
 * <p><b>Restrictions:</b> cheaper parameters than the default ({@link #of}) are accepted so that
 * tests run fast; production code should use {@link #DEFAULT} or stronger.
 */
public final class Argon2idParams {
  /** m = 65536 KiB (64 MiB), t = 3, p = 1. */
  public static final Argon2idParams DEFAULT = new Argon2idParams(64 * 1024, 3, 1);
  /** The largest memory cost accepted, in KiB (1 GiB). */
  public static final int MAX_MEMORY_KIB = 1 << 20;
  /** The largest number of passes accepted. */
  public static final int MAX_ITERATIONS = 64;
  /** The largest parallelism accepted. */
  public static final int MAX_PARALLELISM = 16;
  /** Length of the salts Obscura generates, in bytes. */
  public static final int SALT_BYTES = 16;

  private final int memoryKib;
  private final int iterations;
  private final int parallelism;

  private Argon2idParams(int memoryKib, int iterations, int parallelism) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("Argon2id parallelism must be 1.." + MAX_PARALLELISM);
    }
    if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException(
          "Argon2id memory must be 8*p .. " + MAX_MEMORY_KIB + " KiB");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("Argon2id iterations must be 1.." + MAX_ITERATIONS);
    }
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /**
   * Parameters with these costs.
   *
   * @throws IllegalArgumentException if a cost is out of the accepted bounds
   */
  public static Argon2idParams of(int memoryKib, int iterations, int parallelism) {
    return new Argon2idParams(memoryKib, iterations, parallelism);
  }

  public int memoryKib() {
    return memoryKib;
  }

  public int iterations() {
    return iterations;
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * Argon2id (version 0x13) of {@code secret} under {@code salt} and {@code associatedData}
   * (Argon2's "associated data" input, used for domain separation), {@code length} bytes.
   */
  byte[] derive(byte[] secret, byte[] salt, byte[] associatedData, int length) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(salt, "salt");
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .withAdditional(associatedData)
            .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[length];
    gen.generateBytes(secret, out);
    params.clear();
    return out;
  }

  /** {@code m=65536 t=3 p=1}: the text form used in key files. */
  public String toText() {
    return "m=" + memoryKib + " t=" + iterations + " p=" + parallelism;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Argon2idParams p
        && p.memoryKib == memoryKib
        && p.iterations == iterations
        && p.parallelism == parallelism;
  }

  @Override
  public int hashCode() {
    return Objects.hash(memoryKib, iterations, parallelism);
  }

  @Override
  public String toString() {
    return "Argon2id[" + toText() + "]";
  }
}
