package dev.obscura.crypto.share;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13) cost parameters for a passphrase-protected share grant.
 * Immutable, validated on construction, and bounded both when writing and when reading, so a
 * hostile grant cannot make a recipient allocate gigabytes or spin for hours before the
 * passphrase is even tried.
 *
 * <p>{@link #DEFAULT}: m = 64 MiB, t = 3, p = 1 (RFC 9106's second recommended option). Bounds:
 * memory 8&middot;p KiB .. {@value #MAX_MEMORY_KIB} KiB (256 MiB), iterations 1..{@value
 * #MAX_ITERATIONS}, parallelism 1..{@value #MAX_PARALLELISM}.
 *
 * <p><b>Restrictions:</b> costs below the default are accepted so tests run fast; real grants
 * should use {@link #DEFAULT} or stronger. A passphrase grant is only as strong as its
 * passphrase.
 */
public final class PassphraseCost {
  /** m = 65536 KiB (64 MiB), t = 3, p = 1. */
  public static final PassphraseCost DEFAULT = new PassphraseCost(64 * 1024, 3, 1);
  /** The largest memory cost written or read, in KiB (256 MiB). */
  public static final int MAX_MEMORY_KIB = 256 * 1024;
  /** The largest number of passes written or read. */
  public static final int MAX_ITERATIONS = 16;
  /** The largest parallelism written or read. */
  public static final int MAX_PARALLELISM = 4;
  /** Length of the random salt. */
  public static final int SALT_BYTES = 16;

  private final int memoryKib;
  private final int iterations;
  private final int parallelism;

  private PassphraseCost(int memoryKib, int iterations, int parallelism) {
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /**
   * @throws IllegalArgumentException if a cost is outside the bounds
   */
  public static PassphraseCost of(int memoryKib, int iterations, int parallelism) {
    String problem = problem(memoryKib, iterations, parallelism);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new PassphraseCost(memoryKib, iterations, parallelism);
  }

  /** Null if the costs are within bounds, else what is wrong. */
  static String problem(long memoryKib, long iterations, long parallelism) {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      return "Argon2id parallelism must be 1.." + MAX_PARALLELISM;
    }
    if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
      return "Argon2id memory must be 8*p.." + MAX_MEMORY_KIB + " KiB";
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      return "Argon2id iterations must be 1.." + MAX_ITERATIONS;
    }
    return null;
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

  /** Argon2id of {@code passphrase} with {@code salt} and associated data {@code ad}; 32 bytes. */
  byte[] derive(byte[] passphrase, byte[] salt, byte[] ad) {
    Objects.requireNonNull(passphrase, "passphrase");
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .withAdditional(ad)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[32];
    gen.generateBytes(passphrase, out);
    params.clear();
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PassphraseCost p && p.memoryKib == memoryKib
        && p.iterations == iterations && p.parallelism == parallelism;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {memoryKib, iterations, parallelism});
  }

  @Override
  public String toString() {
    return "Argon2id[m=" + memoryKib + " t=" + iterations + " p=" + parallelism + "]";
  }
}
