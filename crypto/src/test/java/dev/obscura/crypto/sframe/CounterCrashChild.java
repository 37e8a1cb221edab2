package dev.obscura.crypto.sframe;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child JVM for {@link CounterPersistenceTest}: seals frames for ever with a file-backed counter
 * and prints the CTR of each sealed frame, one per line, until it is killed.
 * Arguments: counter file, counter block size.
 */
public final class CounterCrashChild {
  private CounterCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int block = Integer.parseInt(args[1]);
    EpochKey key = EpochKey.generate(StreamId.of("crash"), EpochId.of(0),
        EntropySource.insecureDeterministicForTests(42));
    PrintStream out = new PrintStream(System.out, false, "US-ASCII");
    FileCounterStore store = FileCounterStore.open(file);
    SFrameSender sender = SFrameSender.builder(key, store).counterBlockSize(block).build();
    byte[] data = new byte[64];
    for (long i = 0; ; i++) {
      byte[] sealed = sender.seal(new EncodedFrame(i, false, data));
      out.println(SFrameHeader.decode(sealed, 0, sealed.length).counter());
      out.flush();
    }
  }
}
