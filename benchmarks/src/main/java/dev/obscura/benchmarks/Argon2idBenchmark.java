package dev.obscura.benchmarks;

import dev.obscura.core.EntropySource;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.RecoveryKey;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time of one Argon2id derivation at the default costs ({@link Argon2idParams#DEFAULT}, m=64
 * MiB t=3 p=1, Bouncy Castle's pure-Java Argon2), as a passphrase share grant ({@code
 * derive}) and a recovery key ({@code recoveryKey}) pay it: the figures quoted in
 * docs/spec/share-grant-v1.md section 8 and docs/spec/devices-and-roster-v1.md. Single shots (one
 * derivation each, the first three warm-up), one fork. The suite checks the derivation itself
 * against the reference implementation's vector ({@code ShareFiguresTest}); this only times it.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar Argon2idBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class Argon2idBenchmark {
  private final byte[] passphrase = "a passphrase".getBytes(StandardCharsets.UTF_8);
  private final byte[] salt = new byte[16];
  /** Associated data of a share grant's length (its value does not change the cost). */
  private final byte[] ad = "obscura/v1 share grant passphrase".getBytes(StandardCharsets.US_ASCII);
  private long seed;

  /** One derivation at the default costs, with associated data as a share grant's. */
  @Benchmark
  public byte[] derive() {
    return Argon2idParams.DEFAULT.derive(passphrase, salt, ad, 32);
  }

  /** A recovery key made from a passphrase at the default costs (one derivation and two keys). */
  @Benchmark
  public RecoveryKey recoveryKey() {
    return RecoveryKey.create("a passphrase".toCharArray(), Argon2idParams.DEFAULT,
        EntropySource.insecureDeterministicForTests(++seed));
  }
}
