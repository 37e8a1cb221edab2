package dev.obscura.examples.cli;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.crypto.scheme.TinkStreamingExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * {@code export --format tink-streaming}: the same MP4 as {@code --format mp4}, encrypted with
 * stock Tink's streaming AEAD ({@link TinkStreamingExport}), and the Tink JSON keyset beside it.
 *
 * <p>The clear MP4 exists only as an owner-only temporary file in the output's folder while it is
 * encrypted (the MP4 muxer needs a seekable file), and is deleted whatever happens. On any
 * failure neither {@code --out} nor {@code --keyset-out} nor a temporary file is left.
 */
final class TinkStreamingOutput {
  private TinkStreamingOutput() {}

  static ExportStats write(Iterator<byte[]> plaintexts, Path out, Path keyset, OutputGuard output)
      throws Exception {
    Path dir = out.toAbsolutePath().getParent();
    Path clear = Files.createTempFile(dir, ".export-clear-", ".mp4"); // 0600 on POSIX
    boolean outWritten = false;
    boolean done = false;
    try {
      ExportStats st = Mp4Export.write(plaintexts, clear);
      TinkStreamingExport export = TinkStreamingExport.generate();
      output.write(out, f -> export.encryptFile(clear, f));
      outWritten = true;
      output.write(keyset, export::writeKeyset);
      done = true;
      return new ExportStats(st.segments(), st.frames(), Files.size(out), st.duration(), st.reencoded());
    } finally {
      Files.deleteIfExists(clear);
      if (outWritten && !done) {
        Files.deleteIfExists(out);
      }
    }
  }
}
