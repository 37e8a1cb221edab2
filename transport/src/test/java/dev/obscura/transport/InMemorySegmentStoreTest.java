package dev.obscura.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.SegmentStore;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemorySegmentStoreTest extends SegmentStoreContract {
  @Override
  protected SegmentStore newStore() {
    return new InMemorySegmentStore();
  }

  @Test
  void snapshotTamperAndRemove() throws Exception {
    InMemorySegmentStore s = new InMemorySegmentStore();
    s.put("b", new byte[] {1, 2, 3});
    s.put("a", new byte[] {4});
    Map<String, byte[]> snap = s.snapshot();
    assertEquals(List.of("a", "b"), List.copyOf(snap.keySet()));
    snap.get("b")[0] = 9; // a copy: the store is unchanged
    assertArrayEquals(new byte[] {1, 2, 3}, s.rawBytes("b"));
    InputStream before = s.open("b");
    s.tamper("b", x -> { x[0] ^= 1; return Arrays.copyOf(x, 2); });
    assertArrayEquals(new byte[] {0, 2}, s.rawBytes("b"));
    assertArrayEquals(new byte[] {1, 2, 3}, before.readAllBytes()); // readers keep their version
    assertEquals(3, s.totalBytes());
    assertThrows(NoSuchObjectException.class, () -> s.tamper("zz", x -> x));
    assertTrue(s.remove("a"));
    assertFalse(s.remove("a"));
    assertThrows(NoSuchObjectException.class, () -> s.open("a"));
  }
}
