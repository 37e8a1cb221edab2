package dev.obscura.examples.cli;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.share.VerifiedShare;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
      "Verify and open a share grant, and print its signed record.",
      "It checks the owner's signed record, the camera's signed chain, every segment's digest and continuity,",
      "decrypts the range, and with --out also writes it as one MP4."
    })
final class VerifyShareCommand implements Callable<Integer> {
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

  @Option(names = "--out", paramLabel = "FILE.mp4", description = "MP4 file to write the shared range to (must not exist, unless --force).")
  Path out;

  @CommandLine.Mixin OutputGuard output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    if (out != null) {
      output.refuseOverwrite(out);
    }
    byte[] bytes = readGrant(grant);
    VerifiedShare share;
    if (key.identity != null) {
      share = Household.verifyShare(bytes, ViewerIdentity.readFrom(key.identity, Secrets.protection(null)));
    } else {
      byte[] passphrase = Passphrases.read(key.passphraseFile);
      try {
        share = Household.verifyShare(bytes, passphrase);
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

  /** Reads a grant file with the SDK's bounds ({@link ShareVerifier#readGrant}), naming the file in errors. */
  static byte[] readGrant(Path grant) throws IOException, MalformedDataException {
    try (FileChannel ch = FileChannel.open(grant, StandardOpenOption.READ)) {
      return ShareVerifier.readGrant(ch);
    } catch (MalformedDataException e) {
      throw new MalformedDataException(grant + ": " + e.getMessage());
    }
  }
}
