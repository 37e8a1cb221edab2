package dev.obscura.examples.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.scheme.SchemeContext;
import dev.obscura.crypto.scheme.SealingScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The researcher's own scheme runs in the same lab run as the built-in ones, and holds its claims. */
class MySchemeLabTest {
  @TempDir Path tmp;

  @Test
  void itsRowAppearsInResultsCsv() throws Exception {
    MySchemeLab.run(tmp, "1KiB", 1, java.time.Duration.ofMillis(20));
    List<String> csv = Files.readAllLines(tmp.resolve("results.csv"));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("throughput,my-chacha,AUTHENTICATED,1024,")), csv::toString);
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("throughput,chunked,")), csv::toString);
    String md = Files.readString(tmp.resolve("summary.md"));
    assertTrue(md.contains("| my-chacha |"), md);
  }

  @Test
  void roundTripsAndRejectsTampering() throws Exception {
    EntropySource e = EntropySource.insecureDeterministicForTests(7);
    SchemeContext ctx = new SchemeContext(StreamId.of("cam"), SecretBytes.random(32, e), e);
    MyScheme scheme = new MyScheme();
    List<EncodedFrame> seg = List.of(new EncodedFrame(0, true, new byte[] {1, 2, 3}),
        new EncodedFrame(33_333, false, new byte[] {4, 5}));
    List<byte[]> sealed = scheme.sealer(ctx).seal(seg);
    assertEquals(seg, scheme.opener(ctx).open(sealed));

    List<byte[]> flipped = new ArrayList<>(sealed);
    byte[] bad = sealed.get(1).clone();
    bad[bad.length - 1] ^= 1;
    flipped.set(1, bad);
    assertThrows(IntegrityException.class, () -> scheme.opener(ctx).open(flipped));
    assertThrows(IntegrityException.class, () -> scheme.opener(ctx).open(List.of(sealed.get(1), sealed.get(0))));
    assertThrows(IntegrityException.class, () -> scheme.opener(ctx).open(List.of(sealed.get(0))));
    SchemeContext other = new SchemeContext(StreamId.of("other"), ctx.key(), e);
    assertThrows(IntegrityException.class, () -> scheme.opener(other).open(sealed));
    assertArrayEquals(new byte[] {1, 2, 3}, scheme.opener(ctx).open(sealed).get(0).data());
    assertEquals(SealingScheme.Protection.AUTHENTICATED, scheme.protection());
  }
}
