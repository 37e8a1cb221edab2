package dev.obscura.crypto.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.KeyFileException;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.trust.PairingCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzzes the camera's own state files ({@link CameraState}) with arbitrary bytes as their
 * contents. The first input byte picks the file (0 epochs, 1 roster.pinned, 2 the chain head of
 * stream {@code fuzz-cam}, 3 pairing.secret); the rest is written there, the others absent. Loading
 * either refuses with the documented {@link IOException} (damaged state is never silently reset:
 * that would reuse numbers) or gives a state whose re-save then re-load is equal, and whose
 * re-save is a fixed point (saved twice, the same bytes). The text formats are not canonical
 * (comments, blank lines, spacing, duplicate lines), so the input is not compared; the pinned
 * roster is its canonical encoding, so it is.
 */
class CameraStateFuzzTest {
  private static final Path DIR;
  private static final KeyProtection PROTECTION;
  private static final StreamId STREAM = StreamId.of("fuzz-cam");
  private static final String[] FILES = {"epochs", "roster.pinned", "chain-fuzz-cam", "pairing.secret"};

  static {
    try {
      Path root = Files.createTempDirectory("camera-fuzz");
      root.toFile().deleteOnExit();
      DIR = root.resolve("camera");
      PROTECTION = KeyProtection.platformKey(root.resolve("platform.key"))
          .withEntropy(EntropySource.insecureDeterministicForTests(3));
      CameraState.open(DIR, PROTECTION, EntropySource.insecureDeterministicForTests(4));
    } catch (IOException | KeyFileException | WrongPassphraseException e) {
      throw new AssertionError(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void loadAndResave(byte[] data) throws Exception {
    for (String f : FILES) {
      Files.deleteIfExists(DIR.resolve(f));
    }
    if (data.length == 0) {
      return;
    }
    int which = (data[0] & 0xff) % FILES.length;
    Files.write(DIR.resolve(FILES[which]), Arrays.copyOfRange(data, 1, data.length));
    CameraState s;
    try {
      s = CameraState.open(DIR, PROTECTION, EntropySource.insecureDeterministicForTests(5));
    } catch (IOException refused) {
      assertEquals(0, which, "only the epochs file is read on open");
      return;
    }
    switch (which) {
      case 0:
        epochs(s);
        break;
      case 1:
        roster(s, Arrays.copyOfRange(data, 1, data.length));
        break;
      case 2:
        chain(s);
        break;
      default:
        pairing(s);
        break;
    }
  }

  private static void epochs(CameraState s) throws Exception {
    long next = s.nextEpoch(STREAM);
    s.useEpoch(STREAM, next);
    byte[] once = Files.readAllBytes(DIR.resolve("epochs"));
    CameraState again = CameraState.open(DIR, PROTECTION, EntropySource.insecureDeterministicForTests(5));
    assertEquals(next + 1, again.nextEpoch(STREAM));
    again.useEpoch(STREAM, next);
    assertArrayEquals(once, Files.readAllBytes(DIR.resolve("epochs")), "the epochs rewrite is a fixed point");
  }

  private static void roster(CameraState s, byte[] input) throws Exception {
    Optional<Roster> r;
    try {
      r = s.pinnedRoster();
    } catch (IOException refused) {
      return;
    }
    assertTrue(r.isPresent());
    Roster roster = r.get();
    assertArrayEquals(input, roster.encoded(), "a pinned roster is its canonical encoding");
    s.save(roster);
    assertArrayEquals(roster.encoded(), s.load().orElseThrow());
    Roster back = s.pinnedRoster().orElseThrow();
    assertEquals(roster, back);
    assertArrayEquals(roster.digest(), back.digest());
  }

  private static void chain(CameraState s) throws Exception {
    Optional<CameraState.ChainHead> h;
    try {
      h = s.chainHead(STREAM);
    } catch (IOException refused) {
      return;
    }
    assertTrue(h.isPresent());
    CameraState.ChainHead head = h.get();
    s.saveChainHead(STREAM, head);
    byte[] once = Files.readAllBytes(DIR.resolve("chain-fuzz-cam"));
    CameraState.ChainHead back = s.chainHead(STREAM).orElseThrow();
    assertEquals(head.nextSequence(), back.nextSequence());
    assertArrayEquals(head.lastDigest(), back.lastDigest());
    assertEquals(head.inFlight(), back.inFlight());
    assertEquals(head.pending().isEmpty() ? -1 : head.pendingFirst(),
        back.pending().isEmpty() ? -1 : back.pendingFirst());
    assertEquals(head.pending().size(), back.pending().size());
    for (int i = 0; i < head.pending().size(); i++) {
      assertArrayEquals(head.pending().get(i), back.pending().get(i));
    }
    s.saveChainHead(STREAM, back);
    assertArrayEquals(once, Files.readAllBytes(DIR.resolve("chain-fuzz-cam")), "the chain head rewrite is a fixed point");
  }

  private static void pairing(CameraState s) throws Exception {
    Optional<PairingCode> c;
    try {
      c = s.pairing();
    } catch (IOException refused) {
      return;
    }
    assertTrue(c.isPresent());
    assertTrue(c.get().names(s.identity().publicKey()));
    assertEquals(PairingCode.SECRET_BYTES, c.get().secret().size());
  }
}
