package dev.obscura.crypto.keys;

import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Cost parameters of Argon2id (RFC 9106), used to turn a passphrase or a recovery code into a
 * key: key files ({@link PassphraseProtection}), recovery keys ({@link RecoveryKey}) and
 * passphrase share grants ({@code dev.obscura.crypto.share.ShareGrant}) all use this one type.
 * Immutable; validated on construction. The encodings that carry it are each format's own and
 * unchanged (key files: {@link #toText()}; protected keys: three big-endian 32-bit words;
 * recovery keys and grants: two 32-bit words and a byte).
 *
 * <p>The default, {@link #DEFAULT}, is m = 64 MiB, t = 3, p = 1 (RFC 9106's second recommended
 * option, "if much less memory is available"): on the 2-core reference machine one derivation
 * takes roughly half a second. Parameters read from a file, a roster or a grant are bounded above by {@link
 * #MAX_MEMORY_KIB}, {@link #MAX_ITERATIONS} and {@link #MAX_PARALLELISM}, so that a hostile file
 * cannot make a reader allocate gigabytes or spin for hours, and below by a {@link Floor} ({@link
 * Floor#DEFAULT}: m &ge; 19456 KiB, t &ge; 2, p &ge; 1), so that a hostile or careless file cannot
 * make the passphrase behind it cheap to guess.
 *
 * <p><b>Restrictions:</b> {@link #of} accepts costs below the floor (down to m = 8&middot;p KiB,
 * t = 1) so that tests can write files fast; such files are refused by every default reader
 * (key files, roster recovery keys), which only a reader given {@link
 * Floor#INSECURE_NONE_FOR_TESTS} explicitly accepts. Production code should use {@link #DEFAULT}
 * or stronger.
 */
public final class Argon2idParams {
  /** m = 65536 KiB (64 MiB), t = 3, p = 1. */
  public static final Argon2idParams DEFAULT = new Argon2idParams(64 * 1024, 3, 1);
  /**
   * The largest memory cost written or read, in KiB (256 MiB): what a hostile file, roster or
   * grant can make a reader allocate before its passphrase is even tried. (Key files accepted up
   * to 1 GiB, t = 64, p = 16 and grants 256 MiB, t = 16, p = 4 before the two types were one;
   * the stricter bounds hold for all, and no default ever came near them.)
   */
  public static final int MAX_MEMORY_KIB = 256 * 1024;
  /** The largest number of passes written or read. */
  public static final int MAX_ITERATIONS = 16;
  /** The largest parallelism written or read. */
  public static final int MAX_PARALLELISM = 4;
  /** Length of the salts Obscura generates, in bytes. */
  public static final int SALT_BYTES = 16;

  /**
   * The least Argon2id costs a reader accepts from untrusted bytes (a key file, a roster's
   * recovery key): each of memory, iterations and parallelism must be at least the floor's.
   * Immutable; passed explicitly to the reading API ({@code KeyProtection.withArgon2idFloor},
   * {@code RecoveryKey.decode(byte[], Floor)}), which uses {@link #DEFAULT} otherwise.
   *
   * <p><b>Why {@link #DEFAULT} is m = 19456 KiB, t = 2, p = 1:</b> RFC 9106 (section 4)
   * recommends 2 GiB with t = 1, or 64 MiB with t = 3 where less memory is available, and sets
   * no lower limit; the OWASP Password Storage Cheat Sheet gives m = 19 MiB, t = 2, p = 1 as the
   * minimum configuration for Argon2id. The floor is that published minimum, well below this
   * library's own {@link Argon2idParams#DEFAULT} (64 MiB, t = 3), so that every file written
   * with the defaults passes while, for example, a file asking for
   * m = 1024 KiB and t = 1 (about 38 times less memory &times; passes per guess than the floor)
   * is refused. Each field is checked on its own: OWASP's equivalent trade-offs of fewer KiB for
   * more passes (such as m = 12 MiB, t = 3) are refused too, which is stricter and simpler to
   * state.
   *
   * @param memoryKib the least memory, in KiB
   * @param iterations the least number of passes
   * @param parallelism the least parallelism
   */
  public record Floor(int memoryKib, int iterations, int parallelism) {
    /** m &ge; 19456 KiB (19 MiB), t &ge; 2, p &ge; 1: OWASP's Argon2id minimum. Used by default. */
    public static final Floor DEFAULT = new Floor(19 * 1024, 2, 1);

    /**
     * No floor beyond the structural bounds of {@link Argon2idParams#of} (m &ge; 8&middot;p
     * KiB, t &ge; 1): a reader given it accepts costs that make a passphrase cheap to guess.
     * <b>For tests only</b>, which write cheap files to run fast; never in production.
     */
    public static final Floor INSECURE_NONE_FOR_TESTS = new Floor(8, 1, 1);

    /** @throws IllegalArgumentException if a field is below the structural minimum (8 KiB, 1, 1) */
    public Floor {
      if (memoryKib < 8 || iterations < 1 || parallelism < 1) {
        throw new IllegalArgumentException("an Argon2id floor is at least m=8 KiB, t=1, p=1");
      }
    }

    /**
     * Null if {@code p} meets this floor, else a message naming the first field below it (for
     * example {@code "Argon2id memory m=1024 KiB is below the floor of 19456 KiB"}).
     */
    public String problem(Argon2idParams p) {
      return problem(p.memoryKib(), p.iterations(), p.parallelism());
    }

    /**
     * Null if these costs meet this floor, else a message naming the first field below it.
     *
     * @param m memory, in KiB
     * @param t passes
     * @param p parallelism
     * @return the problem, or null
     */
    public String problem(long m, long t, long p) {
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

    /**
     * Checks {@code p} against this floor.
     *
     * @throws IllegalArgumentException naming the field below the floor
     */
    public Argon2idParams check(Argon2idParams p) {
      String problem = problem(p);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      return p;
    }
  }

  private final int memoryKib;
  private final int iterations;
  private final int parallelism;

  private Argon2idParams(int memoryKib, int iterations, int parallelism) {
    String problem = boundsProblem(memoryKib, iterations, parallelism);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /** Null if the costs are within the structural bounds, else what is wrong. */
  private static String boundsProblem(long memoryKib, long iterations, long parallelism) {
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

  /**
   * Costs read from untrusted bytes: within the bounds and at least {@code floor}, checked on the
   * raw (unsigned) values before anything is allocated. The one reading path of every format.
   *
   * @param memoryKib memory, in KiB, as read
   * @param iterations passes, as read
   * @param parallelism parallelism, as read
   * @param floor the least costs accepted
   * @return the parameters
   * @throws IllegalArgumentException naming the field out of bounds or below the floor
   */
  public static Argon2idParams read(long memoryKib, long iterations, long parallelism, Floor floor) {
    String problem = boundsProblem(memoryKib, iterations, parallelism);
    if (problem == null) {
      problem = floor.problem(memoryKib, iterations, parallelism);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new Argon2idParams((int) memoryKib, (int) iterations, (int) parallelism);
  }

  /**
   * Parameters with these costs.
   *
   * @param memoryKib memory, in KiB
   * @param iterations passes
   * @param parallelism parallelism
   * @return the parameters
   * @throws IllegalArgumentException if a cost is out of the accepted bounds
   */
  public static Argon2idParams of(int memoryKib, int iterations, int parallelism) {
    return new Argon2idParams(memoryKib, iterations, parallelism);
  }

  /** @return the memory cost, in KiB */
  public int memoryKib() {
    return memoryKib;
  }

  /** @return the number of passes */
  public int iterations() {
    return iterations;
  }

  /** @return the parallelism */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Argon2id (version 0x13) of {@code secret} under {@code salt} and {@code associatedData}
   * (Argon2's "associated data" input, used for domain separation), {@code length} bytes.
   *
   * @param secret the passphrase bytes (read, not kept, not wiped)
   * @param salt the salt (read, not kept)
   * @param associatedData Argon2's associated data, for domain separation (may be null)
   * @param length how many bytes to derive
   * @return a new array the caller owns (and should wipe)
   */
  public byte[] derive(byte[] secret, byte[] salt, byte[] associatedData, int length) {
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
