package dev.obscura.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.keys.Stanza;
import dev.obscura.crypto.keys.TestSecrets;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEnvelopeTest {
  private static final StreamId STREAM = StreamId.of("front-door");
  private static final EpochId EPOCH = EpochId.of(7);
  private static final Instant CREATED = Instant.parse("2026-11-26T12:00:00Z");
  private static final EnvelopeHeader HEADER = new EnvelopeHeader(STREAM, EPOCH, CREATED);

  @TempDir static Path dir;
  static ViewerIdentity me;
  static byte[] myPrivateKey;
  static ViewerIdentity other1;
  static ViewerIdentity other2;
  static final List<String> seenMessages = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void keys() throws Exception {
    me = ViewerIdentity.generate();
    me.writeTo(dir.resolve("me.key"), KeyProtection.platformKey(dir.resolve("platform.key")));
    myPrivateKey = TestSecrets.rawPrivateKey(dir.resolve("me.key"));
    other1 = ViewerIdentity.generate();
    other2 = ViewerIdentity.generate();
  }

  static EpochKey newKey(EnvelopeHeader h) {
    return EpochKey.generate(h.stream(), h.epoch(), EntropySource.system());
  }

  static void assertSameKey(EpochKey expected, EpochKey actual) {
    assertTrue(expected.secret().equalsSecretBytes(actual.secret()), "different key bytes");
    assertEquals(expected.stream(), actual.stream());
    assertEquals(expected.epoch(), actual.epoch());
  }

  enum Outcome { KEY, WRONG_KEY, MALFORMED, INTEGRITY, UNAVAILABLE }

  /** Opens and classifies; records messages for the leak scan. */
  static Outcome outcome(byte[] envelope, Identity id, EpochKey expected) {
    try {
      EpochKey k = KeyEnvelope.open(envelope, id);
      return k.secret().equalsSecretBytes(expected.secret())
              && k.stream().equals(expected.stream())
              && k.epoch().equals(expected.epoch())
          ? Outcome.KEY
          : Outcome.WRONG_KEY;
    } catch (MalformedDataException e) {
      seenMessages.add(TestSecrets.fullText(e));
      return Outcome.MALFORMED;
    } catch (IntegrityException e) {
      seenMessages.add(TestSecrets.fullText(e));
      return Outcome.INTEGRITY;
    } catch (KeyUnavailableException e) {
      seenMessages.add(TestSecrets.fullText(e));
      return Outcome.UNAVAILABLE;
    }
  }

  @Test
  void roundTripOneRecipient() throws Exception {
    EpochKey key = newKey(HEADER);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey()));
    assertEquals(HEADER.length() + 2 + 3 + 96, env.length);
    assertSameKey(key, KeyEnvelope.open(env, me));
    KeyEnvelope parsed = KeyEnvelope.parse(env);
    assertEquals(HEADER, parsed.header());
    assertEquals(1, parsed.stanzas().size());
    assertEquals(Stanza.TYPE_HPKE_X25519, parsed.stanzas().get(0).type());
    assertArrayEquals(me.publicKey().keyId(), Arrays.copyOf(parsed.stanzas().get(0).body(), 16));
    assertSameKey(key, KeyEnvelope.open(env, ViewerIdentity.readFrom(dir.resolve("me.key"), KeyProtection.platformKey(dir.resolve("platform.key")))));
  }

  @Test
  void roundTripFiftyRecipientsAndSizePerRecipient() throws Exception {
    List<ViewerIdentity> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(ViewerIdentity.generate());
    }
    List<ViewerPublicKey> pubs = ids.stream().map(ViewerIdentity::publicKey).collect(Collectors.toList());
    EpochKey key = newKey(HEADER);
    byte[] env = KeyEnvelope.seal(HEADER, key, pubs);
    for (ViewerIdentity id : ids) {
      assertSameKey(key, KeyEnvelope.open(env, id));
    }
    assertThrows(KeyUnavailableException.class, () -> KeyEnvelope.open(env, me));
    int one = KeyEnvelope.seal(HEADER, key, pubs.subList(0, 1)).length;
    int two = KeyEnvelope.seal(HEADER, key, pubs.subList(0, 2)).length;
    assertEquals(99, two - one, "bytes per recipient");
    assertEquals(one + 49 * 99, env.length);
    System.out.printf(
        "envelope size: header %d B (stream id of %d chars) + 2 B count + 99 B per HPKE recipient;"
            + " 1 recipient = %d B, 50 recipients = %d B%n",
        HEADER.length(), STREAM.value().length(), one, env.length);
  }

  @Test
  void wrongIdentityIsKeyUnavailableWithAPlainMessage() throws Exception {
    EpochKey key = newKey(HEADER);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(other1.publicKey(), other2.publicKey()));
    KeyUnavailableException e = assertThrows(KeyUnavailableException.class, () -> KeyEnvelope.open(env, me));
    assertEquals("not a recipient of front-door epoch 7", e.getMessage());
    TestSecrets.assertNoLeak(TestSecrets.fullText(e), TestSecrets.raw(key));
  }

  @Test
  void sealRejectsMisuse() {
    EpochKey key = newKey(HEADER);
    assertThrows(IllegalArgumentException.class, () -> KeyEnvelope.seal(HEADER, key, List.of()));
    EpochKey otherEpoch = newKey(new EnvelopeHeader(STREAM, EpochId.of(8), CREATED));
    assertThrows(IllegalArgumentException.class, () -> KeyEnvelope.seal(HEADER, otherEpoch, List.of(me.publicKey())));
    EpochKey otherStream = newKey(new EnvelopeHeader(StreamId.of("garage"), EPOCH, CREATED));
    assertThrows(IllegalArgumentException.class, () -> KeyEnvelope.seal(HEADER, otherStream, List.of(me.publicKey())));
    Recipient fixed = (k, h) -> new Stanza(99, new byte[4]);
    assertThrows(IllegalArgumentException.class, () -> KeyEnvelope.seal(HEADER, key, Collections.nCopies(1025, fixed)));
    KeyEnvelope.seal(HEADER, key, Collections.nCopies(1024, fixed)); // the limit itself is fine
    Recipient big = (k, h) -> new Stanza(99, new byte[4096]);
    assertThrows(IllegalArgumentException.class, () -> KeyEnvelope.seal(HEADER, key, Collections.nCopies(300, big)));
    assertThrows(IllegalArgumentException.class, () -> new Stanza(1, new byte[4097]));
    assertThrows(IllegalArgumentException.class, () -> new Stanza(256, new byte[1]));
  }

  @Test
  void stanzaMovedToAnotherEpochStreamOrTimeDoesNotOpen() throws Exception {
    EpochKey key = newKey(HEADER);
    List<Stanza> stanzas = KeyEnvelope.parse(KeyEnvelope.seal(HEADER, key, List.of(me.publicKey()))).stanzas();
    for (EnvelopeHeader moved :
        List.of(
            new EnvelopeHeader(STREAM, EpochId.of(8), CREATED),
            new EnvelopeHeader(StreamId.of("garage"), EPOCH, CREATED),
            new EnvelopeHeader(STREAM, EPOCH, CREATED.plusNanos(1000)))) {
      byte[] spliced = KeyEnvelope.encode(moved, stanzas);
      IntegrityException e = assertThrows(IntegrityException.class, () -> KeyEnvelope.open(spliced, me));
      TestSecrets.assertNoLeak(TestSecrets.fullText(e), TestSecrets.raw(key));
    }
    // into a real envelope of the next epoch, in place of my own stanza
    EnvelopeHeader next = new EnvelopeHeader(STREAM, EpochId.of(8), CREATED);
    EpochKey nextKey = newKey(next);
    List<Stanza> nextStanzas =
        new ArrayList<>(KeyEnvelope.parse(KeyEnvelope.seal(next, nextKey, List.of(other1.publicKey(), me.publicKey()))).stanzas());
    nextStanzas.set(1, stanzas.get(0));
    assertThrows(IntegrityException.class, () -> KeyEnvelope.open(KeyEnvelope.encode(next, nextStanzas), me));
  }

  @Test
  void unknownStanzaTypesAreSkipped() throws Exception {
    EpochKey key = newKey(HEADER);
    Recipient unknown = (k, h) -> new Stanza(99, new byte[] {1, 2, 3});
    Recipient empty = (k, h) -> new Stanza(2, new byte[0]);
    Recipient large = (k, h) -> new Stanza(255, new byte[4096]);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(unknown, empty, other1.publicKey(), large, me.publicKey()));
    assertSameKey(key, KeyEnvelope.open(env, me));
    assertEquals(List.of(99, 2, 1, 255, 1), KeyEnvelope.parse(env).stanzas().stream().map(Stanza::type).collect(Collectors.toList()));
    byte[] onlyUnknown = KeyEnvelope.seal(HEADER, key, List.of(unknown));
    assertThrows(KeyUnavailableException.class, () -> KeyEnvelope.open(onlyUnknown, me));
  }

  @Test
  void hpkeStanzaOfTheWrongSizeIsMalformedWhoeverItIsFor() throws Exception {
    EpochKey key = newKey(HEADER);
    Recipient short1 = (k, h) -> new Stanza(Stanza.TYPE_HPKE_X25519, new byte[95]);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey(), short1));
    assertThrows(MalformedDataException.class, () -> KeyEnvelope.open(env, me));
  }

  @Test
  void identityReturningAKeyOfAnotherEpochIsRejected() throws Exception {
    EpochKey key = newKey(HEADER);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey()));
    EpochKey wrong = newKey(new EnvelopeHeader(STREAM, EpochId.of(9), CREATED));
    Identity liar = (stanzas, header) -> Optional.of(wrong);
    assertThrows(IntegrityException.class, () -> KeyEnvelope.open(env, liar));
  }

  /**
   * Every single-bit flip of a one-recipient envelope is rejected, with the exception its
   * position calls for.
   */
  @Test
  void everyBitFlipOfASingleRecipientEnvelopeIsRejected() throws Exception {
    EpochKey key = newKey(HEADER);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey()));
    int h = HEADER.length();
    int s = h + 2; // the stanza
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (int bit = 0; bit < env.length * 8; bit++) {
      byte[] flipped = env.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      int pos = bit / 8;
      Set<Outcome> allowed;
      if (pos < 5) {
        allowed = Set.of(Outcome.MALFORMED); // magic, version
      } else if (pos == 5) {
        allowed = Set.of(Outcome.MALFORMED, Outcome.INTEGRITY, Outcome.UNAVAILABLE); // stream id length
      } else if (pos < h) {
        allowed = Set.of(Outcome.MALFORMED, Outcome.INTEGRITY); // stream id, epoch, time
      } else if (pos < s) {
        allowed = Set.of(Outcome.MALFORMED); // stanza count
      } else if (pos == s) {
        allowed = Set.of(Outcome.UNAVAILABLE); // type: now unknown, skipped
      } else if (pos < s + 3) {
        allowed = Set.of(Outcome.MALFORMED); // body length
      } else if (pos < s + 3 + 16) {
        allowed = Set.of(Outcome.UNAVAILABLE); // key id: addressed to someone else
      } else {
        allowed = Set.of(Outcome.INTEGRITY); // HPKE enc and ciphertext
      }
      Outcome o = outcome(flipped, me, key);
      counts.merge(o, 1, Integer::sum);
      if (!allowed.contains(o)) {
        fail("bit " + bit + " (byte " + pos + "): " + o + ", expected one of " + allowed);
      }
    }
    System.out.println("single-recipient bit flips (" + env.length * 8 + "): " + counts);
    scanMessages(key);
  }

  /**
   * Envelope [other1, me, other2, unknown type 0x63]: flips in the header, the count and my
   * stanza are rejected; flips in the other recipients' type, key id, enc or ciphertext and in
   * the unknown stanza's body still give the right key; flips in any length field are
   * malformed. Never a wrong key.
   */
  @Test
  void everyBitFlipOfAMultiRecipientEnvelopeIsRejectedOrGivesTheRightKey() throws Exception {
    EpochKey key = newKey(HEADER);
    Recipient unknown = (k, hd) -> new Stanza(0x63, "future stanza".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(other1.publicKey(), me.publicKey(), other2.publicKey(), unknown));
    int h = HEADER.length();
    int[] start = new int[4];
    start[0] = h + 2;
    for (int i = 1; i < 4; i++) {
      start[i] = start[i - 1] + 3 + 96;
    }
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (int bit = 0; bit < env.length * 8; bit++) {
      byte[] flipped = env.clone();
      int pos = bit / 8;
      flipped[pos] ^= (byte) (1 << (bit % 8));
      Set<Outcome> allowed;
      if (pos < 5) {
        allowed = Set.of(Outcome.MALFORMED);
      } else if (pos == 5) {
        allowed = Set.of(Outcome.MALFORMED, Outcome.INTEGRITY, Outcome.UNAVAILABLE);
      } else if (pos < h) {
        allowed = Set.of(Outcome.MALFORMED, Outcome.INTEGRITY);
      } else if (pos < start[0]) {
        allowed = Set.of(Outcome.MALFORMED);
      } else {
        int st = pos >= start[3] ? 3 : pos >= start[2] ? 2 : pos >= start[1] ? 1 : 0;
        int off = pos - start[st];
        if (off == 1 || off == 2) {
          allowed = Set.of(Outcome.MALFORMED); // a length field
        } else if (st != 1) {
          allowed = Set.of(Outcome.KEY); // someone else's stanza: skipped
        } else if (off == 0 || off < 3 + 16) {
          allowed = Set.of(Outcome.UNAVAILABLE); // my type or key id
        } else {
          allowed = Set.of(Outcome.INTEGRITY); // my enc or ciphertext
        }
      }
      Outcome o = outcome(flipped, me, key);
      counts.merge(o, 1, Integer::sum);
      if (!allowed.contains(o)) {
        fail("bit " + bit + " (byte " + pos + "): " + o + ", expected one of " + allowed);
      }
    }
    System.out.println("multi-recipient bit flips (" + env.length * 8 + "): " + counts);
    scanMessages(key);
  }

  private static void scanMessages(EpochKey key) {
    byte[] raw = TestSecrets.raw(key);
    synchronized (seenMessages) {
      assertTrue(!seenMessages.isEmpty());
      for (String m : seenMessages) {
        TestSecrets.assertNoLeak(m, raw);
        TestSecrets.assertNoLeak(m, myPrivateKey);
      }
    }
  }

  @Test
  void everyTruncationAndAnyExtensionIsMalformed() throws Exception {
    EpochKey key = newKey(HEADER);
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(other1.publicKey(), me.publicKey()));
    for (int n = 0; n < env.length; n++) {
      byte[] cut = Arrays.copyOf(env, n);
      assertThrows(MalformedDataException.class, () -> KeyEnvelope.open(cut, me), "length " + n);
    }
    assertThrows(MalformedDataException.class, () -> KeyEnvelope.open(Arrays.copyOf(env, env.length + 1), me));
    byte[] doubled = new byte[env.length * 2];
    System.arraycopy(env, 0, doubled, 0, env.length);
    System.arraycopy(env, 0, doubled, env.length, env.length);
    assertThrows(MalformedDataException.class, () -> KeyEnvelope.open(doubled, me));
  }

  /** A header followed by {@code tail}. */
  private static byte[] withTail(byte[] tail) {
    byte[] h = HEADER.toBytes();
    byte[] out = Arrays.copyOf(h, h.length + tail.length);
    System.arraycopy(tail, 0, out, h.length, tail.length);
    return out;
  }

  @Test
  void absurdCountsAndLengthsAreMalformedWithoutBigAllocation() throws Exception {
    List<byte[]> hostile = new ArrayList<>();
    hostile.add(withTail(new byte[] {0, 0})); // zero stanzas
    hostile.add(withTail(new byte[] {0x04, 0x01, 1, 0, 0})); // 1025 stanzas
    hostile.add(withTail(new byte[] {(byte) 0xff, (byte) 0xff, 1, 0, 0})); // 65535 stanzas
    hostile.add(withTail(new byte[] {0x04, 0x00, 1, 0x10, 0x00})); // 1024 stanzas of 4096 bytes, 1 present
    hostile.add(withTail(new byte[] {0, 1, 1, 0x10, 0x01})); // body of 4097 bytes
    hostile.add(withTail(new byte[] {0, 1, 1, (byte) 0xff, (byte) 0xff})); // body of 65535 bytes
    hostile.add(withTail(new byte[] {0, 1, 1, 0x10, 0x00, 1, 2, 3})); // 4096 announced, 3 present
    byte[] huge = withTail(new byte[KeyEnvelope.MAX_ENVELOPE_BYTES]); // over 1 MiB
    hostile.add(huge);
    hostile.add(new byte[] {'O', 'B', 'S', 'E', 1, (byte) 200}); // stream id length 200
    hostile.add(new byte[] {'O', 'B', 'S', 'E', 2});
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (byte[] env : hostile) {
      assertThrows(MalformedDataException.class, () -> KeyEnvelope.open(env, me)); // warm up
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10; i++) {
        try {
          KeyEnvelope.parse(env);
          fail("parsed");
        } catch (MalformedDataException expected) {
          // as it should
        }
      }
      long perParse = (mx.getThreadAllocatedBytes(tid) - before) / 10;
      assertTrue(perParse < 32 * 1024, "allocated " + perParse + " bytes per hostile parse");
    }
  }

  @Test
  void sealedEnvelopeLayoutIsAsDocumented() throws Exception {
    EpochKey key = newKey(HEADER);
    Recipient unknown = (k, hd) -> new Stanza(0x63, new byte[] {9, 8});
    byte[] env = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey(), unknown));
    ByteBuffer b = ByteBuffer.wrap(env);
    byte[] header = new byte[HEADER.length()];
    b.get(header);
    assertArrayEquals(HEADER.toBytes(), header);
    assertEquals(2, b.getShort());
    assertEquals(1, b.get());
    assertEquals(96, b.getShort());
    byte[] id = new byte[16];
    b.get(id);
    assertArrayEquals(me.publicKey().keyId(), id);
    b.position(b.position() + 80);
    assertEquals(0x63, b.get());
    assertEquals(2, b.getShort());
    assertEquals(9, b.get());
    assertEquals(8, b.get());
    assertEquals(0, b.remaining());
  }

  @Test
  void rosterStanzaNamesTheRosterAndIsCoveredByTheCameraSignature() throws Exception {
    dev.obscura.crypto.sign.SigningKey camera =
        dev.obscura.crypto.sign.SigningKey.generate(EntropySource.insecureDeterministicForTests(3));
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) 0x5a);
    dev.obscura.crypto.roster.RosterRef ref = new dev.obscura.crypto.roster.RosterRef(3, digest);
    EpochKey key = newKey(HEADER);
    byte[] plain = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey()), camera);
    byte[] named = KeyEnvelope.seal(HEADER, key, List.of(me.publicKey()), camera, ref);
    assertEquals(plain.length + 3 + dev.obscura.crypto.roster.RosterRef.ENCODED_BYTES, named.length);
    KeyEnvelope env = KeyEnvelope.parse(named);
    assertEquals(Optional.of(ref), env.rosterRef());
    assertEquals(Optional.empty(), KeyEnvelope.parse(plain).rosterRef());
    env.verifySignature(List.of(camera.verifyingKey()));
    List<Stanza> st = env.stanzas();
    assertEquals(Stanza.TYPE_ROSTER, st.get(st.size() - 2).type(), "just before the signature");
    assertEquals(Stanza.TYPE_CAMERA_SIGNATURE, st.get(st.size() - 1).type());
    assertSameKey(key, env.open(me));
    // the store changes the roster it names: the signature no longer verifies
    int at = named.length - 3 - KeyEnvelope.SIGNATURE_BODY_BYTES - 32;
    byte[] moved = named.clone();
    moved[at - 1] ^= 1; // the low byte of the version
    KeyEnvelope m = KeyEnvelope.parse(moved);
    assertEquals(2, m.rosterRef().orElseThrow().version());
    assertThrows(IntegrityException.class, () -> m.verifySignature(List.of(camera.verifyingKey())));
    // two roster stanzas, or one of the wrong size, do not parse as a reference
    List<Stanza> two = new ArrayList<>(st.subList(0, st.size() - 1));
    two.add(new Stanza(Stanza.TYPE_ROSTER, ref.encode()));
    assertThrows(MalformedDataException.class, () -> KeyEnvelope.parse(KeyEnvelope.encode(HEADER, two)).rosterRef());
    List<Stanza> shortRef = new ArrayList<>(st.subList(0, st.size() - 2));
    shortRef.add(new Stanza(Stanza.TYPE_ROSTER, Arrays.copyOf(ref.encode(), 39)));
    assertThrows(MalformedDataException.class, () -> KeyEnvelope.parse(KeyEnvelope.encode(HEADER, shortRef)).rosterRef());
    List<Stanza> zero = new ArrayList<>(st.subList(0, st.size() - 2));
    zero.add(new Stanza(Stanza.TYPE_ROSTER, new byte[40]));
    assertThrows(MalformedDataException.class, () -> KeyEnvelope.parse(KeyEnvelope.encode(HEADER, zero)).rosterRef(),
        "version 0 names no roster");
  }
}
