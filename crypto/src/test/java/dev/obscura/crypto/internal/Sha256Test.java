package dev.obscura.crypto.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.obscura.core.Hex;
import org.junit.jupiter.api.Test;

class Sha256Test {
  @Test
  void fipsVectorAbc() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Hex.format(Sha256.digest("abc".getBytes(US_ASCII))));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        Hex.format(Sha256.digest()));
  }

  @Test
  void partsAreHashedAsTheirConcatenation() {
    assertArrayEquals(Sha256.digest("abc".getBytes(US_ASCII)),
        Sha256.digest("a".getBytes(US_ASCII), new byte[0], "bc".getBytes(US_ASCII)));
  }

  @Test
  void eachDigestIsFresh() {
    assertNotSame(Sha256.newDigest(), Sha256.newDigest());
  }
}
