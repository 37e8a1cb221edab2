package dev.obscura.examples.cli;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.share.VerifiedShare;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "verify-share",
    description = {
      "Verify a share grant (the owner's signed record, the camera's signed chain, every segment's digest and",
      "continuity), decrypt its range, and print the record; with --out, also write the range as one MP4."
    })
final class VerifyShareCommand implements Callable<Integer> {
  /** The largest grant file read. */
  static final long MAX_GRANT_BYTES = Integer.MAX_VALUE - 64;

  @Option(names = "--grant", required = true, paramLabel = "GRANT", description = "The share grant file.")
  Path grant;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Key key;

  static final class Key {
    @Option(names = "--identity", paramLabel = "KEYFILE", description = "The recipient's private key (viewer.key).")
    Path identity;

    @Option(names = "--passphrase-file", paramLabel = "F", description = "A file holding the grant's passphrase.")
    Path passphraseFile;
  }

  @Option(names = "--out", paramLabel = "FILE.mp4", description = "MP4 file to write the shared range to.")
  Path out;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(grant)) {
      if (Files.size(grant) > MAX_GRANT_BYTES) {
        throw new MalformedDataException(grant + " is larger than a share grant can be");
      }
      bytes = in.readAllBytes();
    }
    ShareVerifier verifier = new ShareVerifier();
    VerifiedShare share;
    if (key.identity != null) {
      share = verifier.verify(bytes, ViewerIdentity.readFrom(key.identity, Secrets.protection(null)));
    } else {
      byte[] passphrase = Passphrases.read(key.passphraseFile);
      try {
        share = verifier.verifyWithPassphrase(bytes, passphrase);
      } finally {
        Arrays.fill(passphrase, (byte) 0);
      }
    }
    log.println(share.record().describe());
    log.printf("verified: owner signature, camera chain over segments %d..%d, %d segments decrypted%n",
        share.record().firstSequence(), share.record().lastSequence(), share.segments().size());
    log.println("compare the owner fingerprint above with the owner, out of band");
    if (out != null) {
      ExportStats stats = Mp4Export.write(share.plaintexts(), out);
      log.printf("exported %d frames from %d segments to %s (%d bytes, %.2f s)%n", stats.frames(),
          stats.segments(), out, stats.bytes(), stats.duration().toMillis() / 1000.0);
    }
    return 0;
  }
}
