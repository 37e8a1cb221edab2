package dev.obscura.examples.cli;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.share.ShareGrant;
import dev.obscura.crypto.share.ShareVerifier;
import dev.obscura.crypto.share.VerifiedShare;
import java.io.PrintWriter;
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
  /**
   * The largest grant file read: the format's own limit (a grant is encoded in one array, so it is
   * under 2 GiB). A file whose framing declares more is refused as malformed before it is read; one
   * within it is read only if the heap can hold it twice (the grant and its decrypted range).
   */
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
    byte[] bytes = readGrant(grant);
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

  /**
   * Reads a grant file only after its framing checked out: magic, version and every declared
   * length within bounds and adding up to the file's size ({@link ShareGrant#checkedSize}), read
   * from the file's first bytes and length fields, so a damaged or hostile file costs no memory.
   */
  static byte[] readGrant(Path grant) throws java.io.IOException, MalformedDataException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(grant, java.nio.file.StandardOpenOption.READ)) {
      long size;
      try {
        size = ShareGrant.checkedSize(ch, SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, MAX_GRANT_BYTES);
      } catch (MalformedDataException e) {
        throw new MalformedDataException(grant + ": " + e.getMessage());
      }
      long heap = Runtime.getRuntime().maxMemory();
      if (heap != Long.MAX_VALUE && size > heap / 2) {
        throw new CliException(ObscuraCli.EXIT_FAILURE, grant + " is a " + (size >> 20) + " MiB grant; verifying it needs"
            + " about twice that in heap, more than this JVM's " + (heap >> 20) + " MiB (raise -Xmx)");
      }
      byte[] bytes = new byte[(int) size];
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      ch.position(0);
      while (b.hasRemaining()) {
        if (ch.read(b) < 0) {
          throw new MalformedDataException(grant + " was cut short while it was read");
        }
      }
      return bytes;
    }
  }
}
