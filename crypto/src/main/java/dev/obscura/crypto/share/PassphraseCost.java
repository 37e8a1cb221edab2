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
 * #MAX_ITERATIONS}, parallelism 1..{@value #MAX_PARALLELISM}. A grant being read must also meet a
 * {@link Floor} ({@link Floor#DEFAULT}: m &ge; 19456 KiB, t &ge; 2, p &ge; 1), so that a grant
 * cannot make its passphrase cheap to guess.
 *
 * <p><b>Restrictions:</b> {@link #of} accepts costs below the floor so tests can write grants
 * fast; default readers ({@code ShareGrant.parse(byte[])}, {@code new ShareVerifier()}) refuse
 * them, and only a reader given {@link Floor#INSECURE_NONE_FOR_TESTS} explicitly accepts them.
 * Real grants should use {@link #DEFAULT} or stronger. A passphrase grant is only as strong as
 * its passphrase.
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

  /**
   * The least Argon2id costs a reader accepts from a grant: each of memory, iterations and
   * parallelism must be at least the floor's. Immutable; passed explicitly to the reading API
   * ({@code ShareGrant.parse(byte[], Floor)}, {@code ShareVerifier.withPassphraseCostFloor}),
   * which uses {@link #DEFAULT} otherwise.
   *
   * <p><b>Why {@link #DEFAULT} is m = 19456 KiB, t = 2, p = 1:</b> RFC 9106 (section 4)
   * recommends 2 GiB with t = 1, or 64 MiB with t = 3 where less memory is available, and sets
   * no lower limit; the OWASP Password Storage Cheat Sheet gives m = 19 MiB, t = 2, p = 1 as the
   * minimum configuration for Argon2id. The floor is that published minimum, well below {@link
   * PassphraseCost#DEFAULT} (64 MiB, t = 3), so every grant written with the defaults passes,
   * while a grant asking for m = 1024 KiB and t = 1 (about 38 times less memory &times; passes
   * per guess) is refused. Each field is checked on its own. The same floor as key files'
   * ({@code Argon2idParams.Floor}), kept as its own type until the two cost types are merged.
   *
   * @param memoryKib the least memory, in KiB
   * @param iterations the least number of passes
   * @param parallelism the least parallelism
   */
  public record Floor(int memoryKib, int iterations, int parallelism) {
    /** m &ge; 19456 KiB (19 MiB), t &ge; 2, p &ge; 1: OWASP's Argon2id minimum. Used by default. */
    public static final Floor DEFAULT = new Floor(19 * 1024, 2, 1);

    /**
     * No floor beyond the structural bounds of {@link PassphraseCost#of} (m &ge; 8&middot;p KiB,
     * t &ge; 1): a reader given it accepts grants whose passphrase is cheap to guess. <b>For
     * tests only</b>, which write cheap grants to run fast; never in production.
     */
    public static final Floor INSECURE_NONE_FOR_TESTS = new Floor(8, 1, 1);

    /** @throws IllegalArgumentException if a field is below the structural minimum (8 KiB, 1, 1) */
    public Floor {
      if (memoryKib < 8 || iterations < 1 || parallelism < 1) {
        throw new IllegalArgumentException("an Argon2id floor is at least m=8 KiB, t=1, p=1");
      }
    }

    /** Null if {@code c} meets this floor, else a message naming the first field below it. */
    public String problem(PassphraseCost c) {
      return problem(c.memoryKib(), c.iterations(), c.parallelism());
    }

    String problem(long m, long t, long p) {
      if (m < memoryKib) {
        return "Argon2id memory m=" + m + " KiB is below the floor of " + memoryKib + " KiB";
      }
      if (t < iterations) {
        return "Argon2id iterations t=" + t + " is below the floor of " + iterations;
      }
      if (p < parallelism) {
        return "Argon2id parallelism p=" + p + " is below the floor of " + parallelism;
      }
      return null;
    }
  }

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
