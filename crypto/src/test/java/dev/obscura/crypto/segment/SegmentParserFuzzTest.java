package dev.obscura.crypto.segment;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
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
 * input). In the normal build this runs its seed corpus ({@code
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
  void openArbitraryBytes(byte[] data) throws IOException {
    SegmentOpener opener = new SegmentOpener(1 << 20);
    try {
      opener.open(data, RESOLVER);
    } catch (MalformedDataException | IntegrityException expected) {
      // typed
    } catch (dev.obscura.core.ObscuraException e) {
      throw new AssertionError("untyped failure", e);
    }
    try {
      SegmentFormat.readHead(new ByteArrayInputStream(data));
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
