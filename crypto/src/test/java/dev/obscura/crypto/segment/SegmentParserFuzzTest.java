package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.chunked.IntegrityIOException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzzes the sealed-segment parser and opener with arbitrary bytes: every input must either open
 * or fail with a typed exception (never a runtime exception, never an allocation sized by the
 * input). A header that parses round-trips: its encoding is exactly the input's first bytes (the
 * format is canonical: fixed-size fields and one length byte) and parses to an equal header; the
 * public head read from the same bytes carries that header and the input's commitment bytes, and
 * a segment that opens has that header and the input's chain digest. In the normal build this runs its seed corpus ({@code
 * src/test/resources/dev/obscura/crypto/segment/SegmentParserFuzzTestInputs/}) in regression
 * mode; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SegmentParserFuzzTest {
  /** Every epoch of every stream gets the same fixed key, so well-formed inputs get deep. */
  static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  static final EpochKeyResolver RESOLVER = (StreamId s, EpochId e) ->
      new EpochKey(s, e, SecretBytes.copyFrom(KEY, InsecureSecretAccess.get()));

  @FuzzTest(maxDuration = "60s")
  void openArbitraryBytes(byte[] data) throws IOException, MalformedDataException {
    SegmentHeader header = null;
    try {
      header = SegmentFormat.parseHeader(data);
    } catch (MalformedDataException expected) {
      // typed
    }
    if (header != null) {
      byte[] encoded = header.toBytes();
      assertEquals(header.length(), encoded.length);
      if (encoded.length > data.length
          || !Arrays.equals(encoded, 0, encoded.length, data, 0, encoded.length)) {
        throw new AssertionError("a parsed segment header does not re-encode to its input bytes");
      }
      assertEquals(header, SegmentFormat.parseHeader(encoded));
      assertEquals(header, SegmentFormat.readHeader(new ByteArrayInputStream(data)));
    }
    SegmentOpener opener = new SegmentOpener(1 << 20);
    try {
      OpenedSegment opened = opener.open(data, RESOLVER);
      assertEquals(header, opened.header());
      assertArrayEquals(SegmentFormat.digest(data), opened.digest());
    } catch (MalformedDataException | IntegrityException expected) {
      // typed
    } catch (dev.obscura.core.ObscuraException e) {
      throw new AssertionError("untyped failure", e);
    }
    try {
      SealedSegmentHead head = SegmentFormat.readHead(new ByteArrayInputStream(data));
      assertEquals(header, head.header());
      int at = header.length() + ChunkedEncryption.SALT_SIZE_BYTES;
      assertArrayEquals(Arrays.copyOfRange(data, at, at + 32), head.commitment());
      SealedSegmentHead whole = SegmentFormat.headOfWhole(data);
      assertArrayEquals(SegmentFormat.digest(data), whole.digest());
    } catch (MalformedDataException | IntegrityException expected) {
      // typed
    }
    try (SegmentInputStream in = opener.openStream(new ByteArrayInputStream(data), RESOLVER)) {
      in.readAllBytes();
    } catch (MalformedDataException | IntegrityException | IntegrityIOException expected) {
      // typed
    } catch (dev.obscura.core.ObscuraException e) {
      throw new AssertionError("untyped failure", e);
    }
  }
}
