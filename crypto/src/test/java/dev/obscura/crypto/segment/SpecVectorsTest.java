package dev.obscura.crypto.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.EpochId;
import dev.obscura.core.ObscuraException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.VectorFiles;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed spec vectors are what the code generates, and the reader meets every expect line. */
class SpecVectorsTest {
  @Test
  void committedVectorsMatchTheGenerator() throws Exception {
    VectorFiles.check("segment", SpecVectors.generate());
  }

  @Test
  void everyVectorMeetsItsExpectation() throws Exception {
    int valid = 0;
    int invalid = 0;
    for (Map<String, String> v : VectorFiles.read("segment")) {
      String file = v.get("scenario");
      byte[] sealed = HexFormat.of().parseHex(v.get("sealed"));
      byte[] epochKey = HexFormat.of().parseHex(v.get("epoch_key"));
      EpochKey key = new EpochKey(SpecVectors.STREAM, EpochId.of(Long.parseLong(v.get("epoch"))),
          SecretBytes.copyFrom(epochKey, InsecureSecretAccess.get()));
      String expect = v.get("expect");
      if (expect.equals("valid")) {
        OpenedSegment opened = new SegmentOpener().open(sealed, key);
        assertArrayEquals(HexFormat.of().parseHex(v.get("plaintext")), opened.plaintext(), file);
        assertEquals(v.get("digest"), HexFormat.of().formatHex(opened.digest()), file);
        // the segment key alone opens it too (what a share grant hands out)
        OpenedSegment again = new SegmentOpener().openWithSegmentKey(sealed,
            SecretBytes.copyFrom(HexFormat.of().parseHex(v.get("segment_key")), InsecureSecretAccess.get()));
        assertArrayEquals(opened.plaintext(), again.plaintext());
        valid++;
      } else if (expect.equals("ChainBrokenException")) {
        // opens on its own (same key, header, salt and commitment) but is not the signed segment
        OpenedSegment opened = new SegmentOpener().open(sealed, key);
        assertEquals(64, v.get("signed_digest").length(), file);
        assertNotEquals(v.get("signed_digest"), HexFormat.of().formatHex(opened.digest()), file);
        invalid++;
      } else {
        ObscuraException e = assertThrows(ObscuraException.class, () -> new SegmentOpener().open(sealed, key),
            file);
        assertEquals(expect, e.getClass().getSimpleName(), file + ": " + e.getMessage());
        invalid++;
      }
    }
    assertEquals(5, valid);
    assertEquals(19, invalid);
  }
}
