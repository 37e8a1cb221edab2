package dev.obscura.crypto.segment;

import dev.obscura.core.EpochId;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Generates the sealed-segment test vectors of {@code docs/spec/vectors/segment/}: one scenario
 * per file, built through the public sealing API with a deterministic entropy source, so the
 * files are reproducible byte for byte. {@link SpecVectorsTest} checks the committed files
 * against this generator and opens each with the reader.
 *
 * <p>Regenerate after a deliberate format change with
 * {@code mvn -pl crypto test -Dtest=SpecVectorsTest -Dobscura.regenerateVectors=true}.
 */
final class SpecVectors {
  static final StreamId STREAM = StreamId.of("front-door");
  private static final HexFormat HEX = HexFormat.of();

  private SpecVectors() {}

  /** File name to file contents, in a fixed order. */
  static Map<String, String> generate() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    valid(files, "empty-plaintext", "A segment with no plaintext: one empty final chunk.", SealingSuite.AES_256_GCM, 0);
    valid(files, "single-chunk", "A 1000-byte plaintext in one short final chunk.", SealingSuite.AES_256_GCM, 1000);
    valid(files, "exactly-one-full-chunk",
        "16384 bytes: one full chunk followed by an empty final chunk.", SealingSuite.AES_256_GCM, 16384);
    valid(files, "three-chunks", "33000 bytes: two full chunks and a short final one.", SealingSuite.AES_256_GCM, 33000);
    valid(files, "aes-128-gcm", "Suite 2 (Cobblestone-128): a 16-byte segment key.", SealingSuite.AES_128_GCM, 2000);

    // Chunk-level damage needs two full chunks; everything else uses a small segment.
    Sealed chunky = seal(SealingSuite.AES_256_GCM, 2 * 16384 + 100, 1, 0, 10);
    int chunks = chunky.headerLength + 56;
    invalid(files, "flipped-bit-in-chunk", "One bit of the second chunk's ciphertext is flipped.",
        chunky, "TamperedSegmentException", b -> flip(b, chunks + 16400 + 100));
    invalid(files, "missing-final-chunk", "The object ends after the second full chunk.",
        chunky, "TruncatedSegmentException", b -> Arrays.copyOf(b, chunks + 2 * 16400));
    invalid(files, "chunks-swapped", "The two full chunks change places.",
        chunky, "TamperedSegmentException", b -> swap(b, chunks, chunks + 16400, 16400));
    Sealed base = seal(SealingSuite.AES_256_GCM, 1000, 7, 3, 11);
    invalid(files, "flipped-bit-in-tag", "One bit of the final chunk's tag is flipped.",
        base, "TamperedSegmentException", b -> flip(b, b.length - 1));
    invalid(files, "cut-inside-final-chunk",
        "6 bytes cut from the end: the final chunk is shorter but still longer than a tag, so it fails authentication.",
        base, "TamperedSegmentException", b -> Arrays.copyOf(b, b.length - 6));
    invalid(files, "no-chunks", "The object ends right after the salt and commitment.",
        base, "TruncatedSegmentException", b -> Arrays.copyOf(b, base.headerLength + 56));
    invalid(files, "trailing-data", "Bytes appended after the final chunk.",
        base, "TamperedSegmentException", b -> concat(b, new byte[] {1, 2, 3}));
    invalid(files, "sequence-changed", "The header's sequence number is changed from 7 to 8 (a moved segment).",
        base, "KeyMismatchException", b -> flipMask(b, 7 + STREAM.value().length() + 7, 0x0f));
    invalid(files, "epoch-changed", "The header's epoch number is changed from 3 to 4.",
        base, "KeyMismatchException", b -> flipMask(b, 7 + STREAM.value().length() + 15, 0x07));
    invalid(files, "previous-digest-changed", "One bit of the previous-segment digest is flipped.",
        base, "KeyMismatchException", b -> flip(b, base.headerLength - 1));
    invalid(files, "commitment-changed", "One bit of the key commitment is flipped.",
        base, "KeyMismatchException", b -> flip(b, base.headerLength + 24));
    invalid(files, "bad-magic", "The magic is OBSX.", base, "MalformedDataException", b -> {
      b[3] = 'X';
      return b;
    });
    invalid(files, "unknown-version", "Version 3 is not defined.", base, "MalformedDataException", b -> {
      b[4] = 3;
      return b;
    });
    invalid(files, "version-one", "Version 1 (whose chain digest did not cover the ciphertext) is refused: no silent downgrade.",
        base, "MalformedDataException", b -> {
          b[4] = 1;
          return b;
        });
    invalid(files, "unknown-suite", "Suite 9 is not defined.", base, "MalformedDataException", b -> {
      b[5] = 9;
      return b;
    });
    invalid(files, "stream-id-length-zero", "A stream id length of 0.", base, "MalformedDataException", b -> {
      b[6] = 0;
      return b;
    });
    invalid(files, "stream-id-length-too-large", "A stream id length of 255 (the maximum is 64).",
        base, "MalformedDataException", b -> {
          b[6] = (byte) 0xff;
          return b;
        });
    // A key holder re-encrypts other content under the same segment key, header and salt.
    byte[] forged = reencrypt(base, Fixtures.bytes(99, 1000));
    files.put("reencrypted-same-key-and-salt.txt", render("reencrypted-same-key-and-salt",
        "ChainBrokenException", "A holder of the segment key seals other content under the same header"
            + " and salt: the key commitment is unchanged and the object opens on its own, but its chain"
            + " digest is not signed_digest (the digest of the segment the camera sealed, which the next"
            + " segment's previous digest and the signed chain manifest name), so a reader of the chain"
            + " refuses it.",
        base, forged).replace("sealed: ", "signed_digest: " + HEX.formatHex(base.digest) + "\nsealed: "));
    Sealed other = seal(SealingSuite.AES_256_GCM, 1000, 0, 0, 12);
    files.put("wrong-epoch-key.txt", render("wrong-epoch-key",
        "KeyMismatchException", "Opened with the epoch key of another epoch (epoch_key below is not the sealing key).",
        other.withKey(base.epochKey), other.sealed));
    return files;
  }

  /** One sealed segment and how it was made. */
  record Sealed(SealingSuite suite, byte[] epochKey, SegmentHeader header, int headerLength, byte[] plaintext,
      byte[] segmentKey, byte[] sealed, byte[] digest) {
    Sealed withKey(byte[] key) {
      return new Sealed(suite, key, header, headerLength, plaintext, segmentKey, sealed, digest);
    }
  }

  static Sealed seal(SealingSuite suite, int size, long sequence, long epoch, long seed) throws Exception {
    Fixtures.Keyring ring = new Fixtures.Keyring();
    EpochKey key = ring.create(STREAM, epoch, seed);
    byte[] epochKey = ring.keys.get(STREAM + "/" + epoch);
    MemoryStore store = new MemoryStore();
    // A stream that starts at `sequence` is modelled by sealing from 0 and keeping the last one.
    SegmentSealer sealer = SegmentSealer.builder().store(store).stream(STREAM).epochKey(key).suite(suite)
        .entropy(Fixtures.entropy(seed)).build();
    SealedSegmentInfo info = null;
    byte[] plaintext = Fixtures.bytes(seed + 1000, size);
    for (long s = 0; s <= sequence; s++) {
      byte[] p = s == sequence ? plaintext : Fixtures.bytes(seed + s, 10);
      info = sealer.seal(new MediaSegment(s, Fixtures.T0.plusSeconds(2 * s), 2_000_000L * s, 2_000_000L, 60, p));
    }
    sealer.close();
    byte[] sealed = store.get(ObjectNames.segment(new SegmentId(STREAM, sequence)));
    EpochKey again = ring.resolve(STREAM, EpochId.of(epoch));
    byte[] segmentKey = SegmentKeys.derive(again, new SegmentId(STREAM, sequence), suite)
        .toByteArray(InsecureSecretAccess.get());
    return new Sealed(suite, epochKey, info.header(), info.header().length(), plaintext, segmentKey, sealed,
        info.digest());
  }

  private static void valid(Map<String, String> files, String name, String comment, SealingSuite suite, int size)
      throws Exception {
    Sealed s = seal(suite, size, 0, 0, name.hashCode());
    files.put(name + ".txt", render(name, "valid", comment, s, s.sealed));
  }

  private static void invalid(Map<String, String> files, String name, String comment, Sealed base, String expect,
      UnaryOperator<byte[]> damage) {
    files.put(name + ".txt", render(name, expect, comment, base, damage.apply(base.sealed.clone())));
  }

  static String render(String name, String expect, String comment, Sealed s, byte[] sealed) {
    StringBuilder sb = new StringBuilder();
    sb.append("scenario: ").append(name).append('\n');
    sb.append("expect: ").append(expect).append('\n');
    sb.append("comment: ").append(comment).append('\n');
    sb.append("suite: ").append(s.suite.id()).append('\n');
    sb.append("stream: ").append(STREAM).append('\n');
    sb.append("sequence: ").append(s.header.sequence()).append('\n');
    sb.append("epoch: ").append(s.header.epoch().value()).append('\n');
    sb.append("epoch_key: ").append(HEX.formatHex(s.epochKey)).append('\n');
    sb.append("segment_key: ").append(HEX.formatHex(s.segmentKey)).append('\n');
    if ("valid".equals(expect)) {
      sb.append("digest: ").append(HEX.formatHex(s.digest)).append('\n');
      sb.append("plaintext_sha256: ").append(HEX.formatHex(sha256(s.plaintext))).append('\n');
      sb.append("plaintext: ").append(HEX.formatHex(s.plaintext)).append('\n');
    }
    sb.append("sealed: ").append(HEX.formatHex(sealed)).append('\n');
    return sb.toString();
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same header and salt (so the same commitment), other plaintext, the same segment key. */
  static byte[] reencrypt(Sealed s, byte[] plaintext) {
    byte[] salt = Arrays.copyOfRange(s.sealed, s.headerLength, s.headerLength + 24);
    byte[] ct = dev.obscura.crypto.chunked.ChunkedEncryption.encrypt(s.suite.chunkedSuite(),
        dev.obscura.crypto.keys.SecretBytes.copyFrom(s.segmentKey, InsecureSecretAccess.get()),
        s.header.toBytes(), plaintext, out -> System.arraycopy(salt, 0, out, 0, out.length));
    return concat(s.header.toBytes(), ct);
  }

  private static byte[] flip(byte[] b, int at) {
    b[at] ^= 1;
    return b;
  }

  private static byte[] flipMask(byte[] b, int at, int mask) {
    b[at] ^= (byte) mask;
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return org.bouncycastle.util.Arrays.concatenate(a, b);
  }

  private static byte[] swap(byte[] b, int x, int y, int len) {
    byte[] tmp = Arrays.copyOfRange(b, x, x + len);
    System.arraycopy(b, y, b, x, len);
    System.arraycopy(tmp, 0, b, y, len);
    return b;
  }
}
