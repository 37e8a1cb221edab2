package dev.obscura.examples.lab;

import dev.obscura.crypto.scheme.SchemeSet;
import dev.obscura.lab.FrameSizes;
import dev.obscura.lab.Lab;
import dev.obscura.lab.LabReport;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

/**
 * Registers {@link MyScheme} beside the built-in schemes and runs them in one lab run:
 * {@code java -cp obscura.jar dev.obscura.examples.lab.MySchemeLab OUT_DIR}.
 */
public final class MySchemeLab {
  private MySchemeLab() {}

  /**
   * Runs the lab on every built-in scheme and {@link MyScheme}.
   *
   * @param out the output folder
   * @param sizes the frame sizes, e.g. {@code 1KiB,16KiB}
   * @param rounds timed rounds per scheme and size
   * @param warmup warm-up per scheme and size
   * @return the report
   * @throws java.io.IOException if a scheme or a file fails
   */
  public static LabReport run(Path out, String sizes, int rounds, Duration warmup) throws java.io.IOException {
    SchemeSet schemes = SchemeSet.builtIn().with(new MyScheme());   // the one line that registers it
    return Lab.builder()
        .schemes(schemes.all())
        .frameSizes(FrameSizes.parse(sizes))
        .policies(List.of())
        .rounds(rounds)
        .warmup(warmup)
        .outputDir(out)
        .commandLine("java -cp obscura.jar dev.obscura.examples.lab.MySchemeLab " + out)
        .build()
        .run();
  }

  /**
   * Runs it with 1 KiB, 16 KiB and 1 MiB frames into the folder given as the first argument.
   *
   * @param args the output folder
   * @throws Exception if the run fails
   */
  public static void main(String[] args) throws Exception {
    LabReport report = run(Paths.get(args.length > 0 ? args[0] : "lab-my-scheme"), "1KiB,16KiB,1MiB", 5,
        Duration.ofSeconds(1));
    System.out.println("wrote " + report.summary());
  }
}
