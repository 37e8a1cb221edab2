package dev.obscura.crypto.share;

import dev.obscura.crypto.keys.Argon2idParams;
import static dev.obscura.crypto.testing.ByteSearch.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EntropySource;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentId;
import dev.obscura.core.StreamId;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.audit.AuditEntry;
import dev.obscura.crypto.audit.AuditLog;
import dev.obscura.crypto.audit.AuditReport;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.SegmentOpener;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.transport.testing.SecretScan;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShareGrantTest {
  static final StreamId CAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  /**
   * Cheap Argon2id costs so tests run fast; the default is measured separately. Below the
   * readers' floor: grants with them are read only by a verifier given the test floor.
   */
  static final Argon2idParams CHEAP = Argon2idParams.of(1024, 1, 1);
  static final Argon2idParams.Floor TEST_FLOOR = Argon2idParams.Floor.INSECURE_NONE_FOR_TESTS;
  /** Where the passphrase costs are in a version-2 passphrase record body. */
  static final int COST_AT = 4 + 1 + 16 + 8 + 32 + 32 + 1 + 32 + 1 + 16;

  final MemStore store = new MemStore();
  final SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
  final ViewerIdentity owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));
  final SigningKey ownerKey = owner.signingKey().orElseThrow();
  final ViewerIdentity lawyer = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(4));
  final ViewerIdentity stranger = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(5));
  final List<byte[]> plaintexts = new ArrayList<>();

  /** 8 segments, 2 s apart, 2 epochs (rotation every 4), a manifest every 3 segments. */
  ShareGrantTest() throws Exception {
    try (Recorder r = Recorder.builder().store(store).stream(CAM)
        .recipients(List.of(owner.publicKey())).segmentsPerEpoch(4).chainSigner(camera, 3)
        .entropy(EntropySource.insecureDeterministicForTests(6)).build()) {
      for (int i = 0; i < 8; i++) {
        byte[] data = new byte[2000 + 37 * i];
        new SplittableRandom(100 + i).nextBytes(data);
        plaintexts.add(data);
        r.seal(new MediaSegment(i, T0.plusSeconds(2L * i), 2_000_000L * i, 2_000_000L, 30, data));
      }
    }
  }

  ShareGrant.Builder grant(Instant from, Instant to) {
    return ShareGrant.builder().store(store).stream(CAM).timeRange(from, to)
        .epochKeys(new EnvelopeKeyResolver(store, owner)).cameraKeys(List.of(camera.verifyingKey()))
        .owner(ownerKey, owner.publicKey()).reason("break-in, for the insurer")
        .clock(Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC))
        .entropy(EntropySource.insecureDeterministicForTests(7));
  }

  /** Segments 2..5 (two epochs, two manifests). */
  ShareGrant middle() throws Exception {
    return grant(T0.plusSeconds(4), T0.plusSeconds(11)).recipient(lawyer.publicKey()).create();
  }

  @Test
  void theGrantDecryptsExactlyItsRange() throws Exception {
    ShareGrant g = middle();
    byte[] bytes = g.encode();
    assertEquals(g.encodedSizeBytes(), bytes.length);
    VerifiedShare v = ShareVerifier.expectingOwner(ownerKey.verifyingKey()).verify(bytes, lawyer);
    ShareRecord r = v.record();
    assertEquals(2, r.firstSequence());
    assertEquals(5, r.lastSequence());
    assertEquals("break-in, for the insurer", r.reason());
    assertEquals(ownerKey.verifyingKey(), r.owner());
    assertEquals(List.of(camera.verifyingKey()), r.cameras());
    assertArrayEquals(lawyer.publicKey().rawBytes(), r.recipientKey().orElseThrow().rawBytes());
    assertEquals(lawyer.publicKey(), r.recipientKey().orElseThrow()); // with its device key
    assertEquals(Instant.parse("2026-11-27T09:00:00Z"), r.created());
    assertEquals(4, v.segments().size());
    for (int i = 0; i < 4; i++) {
      OpenedSegment s = v.segments().get(i);
      assertEquals(2 + i, s.header().sequence());
      assertArrayEquals(plaintexts.get(2 + i), s.plaintext());
    }
    assertTrue(r.describe().contains("why:    break-in"));
    assertEquals(2, r.version());
    assertEquals(owner.publicKey(), r.ownerDevice().orElseThrow());
    // the share is in the audit log, signed by the owner, without the reason text
    AuditReport audit = AuditLog.verify(store, List.of(ownerKey.verifyingKey()));
    assertTrue(audit.verified(), audit.problems().toString());
    assertEquals(1, audit.entries().size());
    AuditEntry e = audit.entries().get(0);
    assertEquals(AuditEntry.Type.SHARE, e.type());
    assertArrayEquals(ShareGrant.auditPayload(r), e.payload());
    assertFalse(new String(e.payload(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("insurer"));
    assertTrue(ShareGrant.describeAuditPayload(e.payload()).contains("segments 2..5"));
  }

  @Test
  void segmentsOutsideTheRangeAreNotInTheGrantAndNoKeyInItOpensThem() throws Exception {
    ShareGrant g = ShareGrant.parse(middle().encode());
    for (int i = 0; i < g.segmentCount(); i++) {
      long seq = ShareGrant.headOf(g.sealedSegment(i)).header().sequence();
      assertTrue(seq >= 2 && seq <= 5);
    }
    // no byte string of any outside segment is in the grant
    byte[] all = g.encode();
    for (long seq : new long[] {0, 1, 6, 7}) {
      byte[] outside = store.objects.get(ObjectNames.segment(new SegmentId(CAM, seq)));
      assertFalse(contains(all, java.util.Arrays.copyOfRange(outside, outside.length - 64, outside.length)));
    }
    // every key the recipient can get out of the grant, against every segment of the stream
    List<SecretBytes> keys = ShareVerifier.segmentKeys(g, lawyer);
    assertEquals(4, keys.size());
    SegmentOpener opener = new SegmentOpener();
    int opened = 0;
    for (SecretBytes k : keys) {
      for (long seq = 0; seq < 8; seq++) {
        byte[] sealed = store.objects.get(ObjectNames.segment(new SegmentId(CAM, seq)));
        try {
          opener.openWithSegmentKey(sealed, k);
          assertTrue(seq >= 2 && seq <= 5, "a grant key opened segment " + seq);
          opened++;
        } catch (KeyMismatchException expected) {
          // not this segment's key
        }
      }
    }
    assertEquals(4, opened); // each key opens exactly its own segment
  }

  List<byte[]> segs(ShareGrant g) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < g.segmentCount(); i++) {
      out.add(g.sealedSegment(i));
    }
    return out;
  }

  byte[] stored(long seq) {
    return store.objects.get(ObjectNames.segment(new SegmentId(CAM, seq))).clone();
  }

  @Test
  void droppedInsertedReorderedOrModifiedSegmentsAreDetected() throws Exception {
    ShareGrant g = middle();
    ShareVerifier v = new ShareVerifier();
    // dropped
    List<byte[]> dropped = segs(g);
    dropped.remove(1);
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(dropped, g.manifests()), lawyer));
    // dropped at the end
    List<byte[]> tail = segs(g);
    tail.remove(3);
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(tail, g.manifests()), lawyer));
    // inserted: a duplicate, and a segment from outside the range
    List<byte[]> dup = segs(g);
    dup.add(2, dup.get(1));
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(dup, g.manifests()), lawyer));
    List<byte[]> extra = segs(g);
    extra.add(stored(6));
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(extra, g.manifests()), lawyer));
    // substituted by a segment from outside the range
    List<byte[]> subst = segs(g);
    subst.set(3, stored(6));
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(subst, g.manifests()), lawyer));
    // reordered
    List<byte[]> swapped = segs(g);
    swapped.set(1, g.sealedSegment(2));
    swapped.set(2, g.sealedSegment(1));
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(swapped, g.manifests()), lawyer));
    // modified header byte (start time)
    List<byte[]> header = segs(g);
    header.get(1)[30] ^= 1;
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(header, g.manifests()), lawyer));
    // modified ciphertext byte: the chain digest covers it, so it is no longer the signed one
    List<byte[]> body = segs(g);
    body.get(2)[body.get(2).length - 20] ^= 1;
    assertThrows(ChainBrokenException.class, () -> v.verify(g.with(body, g.manifests()), lawyer));
    // a manifest left out, so part of the range is not covered
    assertThrows(ChainBrokenException.class,
        () -> v.verify(g.with(segs(g), g.manifests().subList(0, 1)), lawyer));
    // a manifest by another key
    ChainManifest forged = ChainManifest.sign(CAM, 0, List.of(new byte[32]),
        SigningKey.generate(EntropySource.insecureDeterministicForTests(99)));
    List<ChainManifest> ms = new ArrayList<>(g.manifests());
    ms.add(forged);
    assertThrows(IntegrityException.class, () -> v.verify(g.with(segs(g), ms), lawyer));
    // untouched, it verifies
    assertEquals(4, v.verify(g.with(segs(g), g.manifests()), lawyer).segments().size());
  }

  @Test
  void everyByteOfAGrantIsCovered() throws Exception {
    byte[] bytes = grant(T0.plusSeconds(4), T0.plusSeconds(5)).recipient(lawyer.publicKey())
        .recordInAuditLog(false).create().encode();
    ShareVerifier v = new ShareVerifier();
    int step = Math.max(1, bytes.length / 150);
    int checked = 0;
    for (int i = 0; i < bytes.length; i += step) {
      byte[] t = bytes.clone();
      t[i] ^= 0x40;
      try {
        v.verify(t, lawyer);
        fail("byte " + i + " of " + bytes.length + " changed and still accepted");
      } catch (ObscuraException expected) {
        checked++;
      }
    }
    assertTrue(checked >= 150);
    for (int n = 0; n < bytes.length; n += step) {
      byte[] cut = java.util.Arrays.copyOf(bytes, n);
      assertThrows(MalformedDataException.class, () -> ShareGrant.parse(cut));
    }
  }

  @Test
  void theRecordIsBoundToItsOwnerAndRecipient() throws Exception {
    byte[] bytes = middle().encode();
    SigningKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(42));
    assertThrows(IntegrityException.class,
        () -> ShareVerifier.expectingOwner(other.verifyingKey()).verify(bytes, lawyer));
    // another viewer: typed "not for you"
    assertThrows(KeyUnavailableException.class, () -> new ShareVerifier().verify(bytes, stranger));
    // the owner re-signing a record for another recipient does not get the keys re-bound
    ShareGrant g = ShareGrant.parse(bytes);
    ShareGrant other2 = grant(T0.plusSeconds(4), T0.plusSeconds(11)).recipient(lawyer.publicKey())
        .entropy(EntropySource.insecureDeterministicForTests(8)).create();
    byte[] spliced = splice(g.encode(), other2.encode());
    assertThrows(ObscuraException.class, () -> new ShareVerifier().verify(spliced, lawyer));
  }

  /** The record of {@code a} with the key material of {@code b}. */
  static byte[] splice(byte[] a, byte[] b) {
    ByteBuffer bb = ByteBuffer.wrap(b);
    int bodyB = bb.getInt(5);
    ByteBuffer ab = ByteBuffer.wrap(a);
    int bodyA = ab.getInt(5);
    int recA = 9 + bodyA + 64;
    int recB = 9 + bodyB + 64;
    byte[] out = new byte[recA + (b.length - recB)];
    System.arraycopy(a, 0, out, 0, recA);
    System.arraycopy(b, recB, out, recA, b.length - recB);
    return out;
  }

  @Test
  void passphraseGrantsOpenOnlyWithThePassphrase() throws Exception {
    byte[] pass = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bytes = grant(T0.plusSeconds(4), T0.plusSeconds(11)).passphrase(pass, CHEAP).create().encode();
    ShareVerifier v = new ShareVerifier().withArgon2idParamsFloor(TEST_FLOOR);
    VerifiedShare s = v.verifyWithPassphrase(bytes, pass);
    assertEquals(4, s.segments().size());
    assertEquals(ShareRecord.RecipientKind.PASSPHRASE, s.record().recipientKind());
    assertEquals(CHEAP, s.record().passphraseCost().orElseThrow());
    assertArrayEquals(plaintexts.get(3), s.plaintexts().get(1));
    WrongSharePassphraseException e = assertThrows(WrongSharePassphraseException.class,
        () -> v.verifyWithPassphrase(bytes, "correct horse battery stapler".getBytes()));
    assertFalse(e.getMessage().contains("horse"));
    assertThrows(KeyUnavailableException.class, () -> v.verify(bytes, lawyer));
    byte[] viewerGrant = middle().encode();
    assertThrows(KeyUnavailableException.class, () -> v.verifyWithPassphrase(viewerGrant, pass));
  }

  @Test
  void hostileArgon2CostsAreRefusedBeforeAnyWork() throws Exception {
    byte[] pass = "pw".getBytes();
    byte[] bytes = grant(T0.plusSeconds(4), T0.plusSeconds(5)).passphrase(pass, CHEAP)
        .recordInAuditLog(false).create().encode();
    // the record, re-signed by its owner with m = 4 GiB, t = 2^32-1, p = 255
    int bodyLen = ByteBuffer.wrap(bytes).getInt(5);
    byte[] body = java.util.Arrays.copyOfRange(bytes, 9, 9 + bodyLen);
    int costAt = COST_AT; // after the salt (passphrase recipient)
    for (long[] cost : new long[][] {{0xFFFFFFFFL, 1, 1}, {1024, 0xFFFFFFFFL, 1}, {1024, 1, 255},
        {Argon2idParams.MAX_MEMORY_KIB + 1L, 1, 1}, {0, 1, 1}}) {
      byte[] hostile = body.clone();
      ByteBuffer.wrap(hostile).putInt(costAt, (int) cost[0]).putInt(costAt + 4, (int) cost[1])
          .put(costAt + 8, (byte) cost[2]);
      byte[] sig = ownerKey.sign(SignaturePurpose.SHARE_RECORD, hostile);
      byte[] t = bytes.clone();
      System.arraycopy(hostile, 0, t, 9, bodyLen);
      System.arraycopy(sig, 0, t, 9 + bodyLen, 64);
      MalformedDataException e = assertThrows(MalformedDataException.class,
          () -> new ShareVerifier().verifyWithPassphrase(t, pass));
      assertTrue(e.getMessage().contains("Argon2id"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Argon2idParams.of(1 << 30, 3, 1));
  }

  /** {@code bytes} (a passphrase grant) with its record's costs replaced and re-signed by the owner. */
  byte[] withCosts(byte[] bytes, long m, long t, int p) {
    int bodyLen = ByteBuffer.wrap(bytes).getInt(5);
    byte[] body = java.util.Arrays.copyOfRange(bytes, 9, 9 + bodyLen);
    ByteBuffer.wrap(body).putInt(COST_AT, (int) m).putInt(COST_AT + 4, (int) t).put(COST_AT + 8, (byte) p);
    byte[] sig = ownerKey.sign(SignaturePurpose.SHARE_RECORD, body);
    byte[] out = bytes.clone();
    System.arraycopy(body, 0, out, 9, bodyLen);
    System.arraycopy(sig, 0, out, 9 + bodyLen, 64);
    return out;
  }

  @Test
  void passphraseCostsBelowTheFloorAreRefusedByDefaultReaders() throws Exception {
    byte[] pass = "pw".getBytes();
    byte[] cheap = grant(T0.plusSeconds(4), T0.plusSeconds(5)).passphrase(pass, CHEAP)
        .recordInAuditLog(false).create().encode();
    // the default parse and verifier refuse it before any derivation, naming the field
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> ShareGrant.parse(cheap));
    assertTrue(e.getMessage().contains("memory m=1024 KiB is below the floor of 19456 KiB"), e.getMessage());
    e = assertThrows(MalformedDataException.class, () -> new ShareVerifier().verifyWithPassphrase(cheap, pass));
    assertTrue(e.getMessage().contains("memory m=1024"), e.getMessage());
    // parsed with the test floor, the default verifier still refuses it
    ShareGrant parsed = ShareGrant.parse(cheap, SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, TEST_FLOOR);
    e = assertThrows(MalformedDataException.class, () -> new ShareVerifier().verifyWithPassphrase(parsed, pass));
    assertTrue(e.getMessage().contains("below the floor"), e.getMessage());
    // each field on its own
    e = assertThrows(MalformedDataException.class, () -> ShareGrant.parse(withCosts(cheap, 19455, 2, 1)));
    assertTrue(e.getMessage().contains("memory m=19455 KiB"), e.getMessage());
    e = assertThrows(MalformedDataException.class, () -> ShareGrant.parse(withCosts(cheap, 19456, 1, 1)));
    assertTrue(e.getMessage().contains("iterations t=1 is below the floor of 2"), e.getMessage());
    // at the floor: accepted (parsed; the costs are then the record's)
    assertEquals(Argon2idParams.of(19456, 2, 1),
        ShareGrant.parse(withCosts(cheap, 19456, 2, 1)).record().passphraseCost().orElseThrow());
    // the maximum checks still apply above the floor, and a stronger floor can be asked for
    e = assertThrows(MalformedDataException.class,
        () -> ShareGrant.parse(withCosts(cheap, Argon2idParams.MAX_MEMORY_KIB + 1L, 2, 1)));
    assertTrue(e.getMessage().contains("Argon2id memory must be"), e.getMessage());
    assertThrows(MalformedDataException.class, () -> ShareGrant.parse(withCosts(cheap, 19456, 17, 1)));
    assertThrows(MalformedDataException.class, () -> ShareGrant.parse(withCosts(cheap, 65536, 2, 1),
        SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES, new Argon2idParams.Floor(65536, 3, 1)));
    assertEquals(Argon2idParams.Floor.DEFAULT, new Argon2idParams.Floor(19456, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new Argon2idParams.Floor(0, 1, 1));
  }

  @Test
  void aGrantAtTheFloorOpensWithTheDefaultVerifier() throws Exception {
    byte[] pass = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Argon2idParams floor = Argon2idParams.of(19456, 2, 1);
    byte[] bytes = grant(T0.plusSeconds(4), T0.plusSeconds(5)).passphrase(pass, floor)
        .recordInAuditLog(false).create().encode();
    VerifiedShare s = new ShareVerifier().verifyWithPassphrase(bytes, pass);
    assertEquals(floor, s.record().passphraseCost().orElseThrow());
  }

  @Test
  void theRecordShowsTheOwnersDeviceFingerprint() throws Exception {
    ShareRecord r = new ShareVerifier().verify(middle().encode(), lawyer).record();
    String device = owner.publicKey().fingerprint(); // what keygen and device list print
    assertEquals(device, r.ownerFingerprint());
    assertTrue(r.describe().contains("who:    owner " + device + " ("), r.describe());
    assertFalse(r.describe().contains(ownerKey.verifyingKey().fingerprint()),
        "not the fingerprint of the Ed25519 key alone");
    assertTrue(r.describe().contains(ownerKey.verifyingKey().keyIdHex()), r.describe());
    // the builder takes the device key that carries the signing key, and no other
    assertThrows(IllegalArgumentException.class,
        () -> ShareGrant.builder().owner(ownerKey, lawyer.publicKey()));
    assertThrows(IllegalArgumentException.class,
        () -> ShareGrant.builder().owner(ownerKey, dev.obscura.crypto.keys.ViewerPublicKey.fromRawBytes(
            owner.publicKey().rawBytes())));
  }

  @Test
  void versionOneRecordsAreStillRead() throws Exception {
    // a version-1 record: the same fields without the owner's X25519 key, signed by the owner
    byte[] bytes = middle().encode();
    int bodyLen = ByteBuffer.wrap(bytes).getInt(5);
    byte[] v2 = java.util.Arrays.copyOfRange(bytes, 9, 9 + bodyLen);
    int x25519At = 4 + 1 + 16 + 8 + 32;
    byte[] v1 = new byte[bodyLen - 32];
    System.arraycopy(v2, 0, v1, 0, x25519At);
    System.arraycopy(v2, x25519At + 32, v1, x25519At, bodyLen - x25519At - 32);
    v1[4] = 1;
    ShareRecord r = ShareRecord.parse(v1, ownerKey.sign(SignaturePurpose.SHARE_RECORD, v1));
    r.verifySignature();
    assertEquals(1, r.version());
    assertTrue(r.ownerDevice().isEmpty());
    assertEquals(ownerKey.verifyingKey(), r.owner());
    assertEquals(ownerKey.verifyingKey().fingerprint(), r.ownerFingerprint());
    assertTrue(r.describe().contains("Ed25519 key only, version-1 record"), r.describe());
    assertEquals(2, r.firstSequence());
    assertEquals(5, r.lastSequence());
    // and a whole version-1 grant parses
    byte[] grant = new byte[bytes.length - 32];
    System.arraycopy(bytes, 0, grant, 0, 5);
    ByteBuffer.wrap(grant).putInt(5, v1.length);
    System.arraycopy(v1, 0, grant, 9, v1.length);
    System.arraycopy(r.signature(), 0, grant, 9 + v1.length, 64);
    System.arraycopy(bytes, 9 + bodyLen + 64, grant, 9 + v1.length + 64, bytes.length - 9 - bodyLen - 64);
    assertEquals(1, ShareGrant.parse(grant).record().version());
    // version 3 is not read
    byte[] v3 = v2.clone();
    v3[4] = 3;
    assertThrows(MalformedDataException.class,
        () -> ShareRecord.parse(v3, ownerKey.sign(SignaturePurpose.SHARE_RECORD, v3)));
  }

  @Test
  void segmentsNotYetCoveredByAManifestCannotBeShared() throws Exception {
    // seal two more segments without a manifest (the chain signer writes every 3)
    MemStore s2 = store;
    s2.failWrites = false;
    try (Recorder r = Recorder.builder().store(s2).stream(CAM).recipients(List.of(owner.publicKey()))
        .entropy(EntropySource.insecureDeterministicForTests(9)).build()) {
      r.seal(new MediaSegment(8, T0.plusSeconds(16), 0, 2_000_000L, 30, new byte[100]));
    }
    ChainBrokenException e = assertThrows(ChainBrokenException.class,
        () -> grant(T0.plusSeconds(14), T0.plusSeconds(30)).recipient(lawyer.publicKey()).create());
    assertTrue(e.getMessage().contains("not yet covered"), e.getMessage());
    assertThrows(ChainBrokenException.class,
        () -> grant(T0.plusSeconds(100), T0.plusSeconds(200)).recipient(lawyer.publicKey()).create()
            .record().lastSequence());
    // before the first segment
    assertThrows(ChainBrokenException.class,
        () -> grant(T0.minusSeconds(100), T0.minusSeconds(50)).recipient(lawyer.publicKey()).create());
  }

  @Test
  void aMissingSegmentInTheStoreStopsTheOwner() throws Exception {
    store.objects.remove(ObjectNames.segment(new SegmentId(CAM, 3)));
    assertThrows(ChainBrokenException.class, this::middle);
  }

  @Test
  void toStringsCarryNoSecrets() throws Exception {
    ShareGrant g = middle();
    assertTrue(g.toString().startsWith("ShareGrant[ShareRecord["));
    assertEquals("ShareVerifier[any owner]", new ShareVerifier().toString());
    assertEquals("Argon2id[m=65536 t=3 p=1]", Argon2idParams.DEFAULT.toString());
    // no window of any key the grant was made with, is for, or carries: the signing seeds, the
    // X25519 keys of owner and lawyer, every epoch key and every segment key
    List<byte[]> secrets = new ArrayList<>(List.of(ownerKey.seed().toByteArray(InsecureSecretAccess.get()),
        camera.seed().toByteArray(InsecureSecretAccess.get()), scalar(3, owner), scalar(4, lawyer)));
    EnvelopeKeyResolver keys = new EnvelopeKeyResolver(store, owner);
    for (var e : store.objects.entrySet()) {
      if (ObjectNames.parseSegment(e.getKey()).isPresent()) {
        var header = dev.obscura.crypto.segment.SegmentFormat.parseHeader(e.getValue());
        var epochKey = keys.resolve(CAM, header.epoch());
        secrets.add(epochKey.secret().toByteArray(InsecureSecretAccess.get()));
        secrets.add(dev.obscura.crypto.segment.SegmentKeys.derive(epochKey, header.segmentId(),
            dev.obscura.crypto.segment.SealingSuite.fromId(header.suite())).toByteArray(InsecureSecretAccess.get()));
      }
    }
    assertEquals(4 + 2 * 8, secrets.size());
    var verified = ShareVerifier.expectingOwner(ownerKey.verifyingKey()).verify(g.encode(), lawyer);
    SecretScan.assertNoLeak(g + "\n" + g.record() + "\n" + g.record().describe() + "\n" + verified + "\n"
        + verified.record() + "\n" + owner + "\n" + lawyer + "\n" + ownerKey, secrets.toArray(byte[][]::new));
  }

  /** The X25519 private key of {@code id}, made by ViewerIdentity.generate from the deterministic source {@code seed}. */
  static byte[] scalar(long seed, ViewerIdentity id) {
    EntropySource e = EntropySource.insecureDeterministicForTests(seed);
    byte[] scalar = new byte[32];
    e.nextBytes(scalar); // drawn first, then the signing seed
    byte[] signing = new byte[32];
    e.nextBytes(signing);
    assertArrayEquals(signing, id.signingKey().orElseThrow().seed().toByteArray(InsecureSecretAccess.get()));
    scalar[0] &= (byte) 248; // RFC 7748 clamping, as ViewerIdentity does
    scalar[31] &= 127;
    scalar[31] |= 64;
    return scalar;
  }

  @Test
  void theRecordStatesTheSpanOfTheFootageItHolds() throws Exception {
    // asked for [T0+4s, T0+11s); holds segments 2..5, which cover [T0+4s, T0+12s)
    ShareRecord r = ShareVerifier.expectingOwner(ownerKey.verifyingKey())
        .verify(middle().encode(), lawyer).record();
    assertEquals(T0.plusSeconds(4), r.from());
    assertEquals(T0.plusSeconds(12), r.to());
    ShareRecord one = ShareVerifier.expectingOwner(ownerKey.verifyingKey()).verify(
        grant(T0.plusMillis(4500), T0.plusMillis(5000)).recipient(lawyer.publicKey()).create()
            .encode(), lawyer).record();
    assertEquals(T0.plusSeconds(4), one.from());
    assertEquals(T0.plusSeconds(6), one.to());
    // after the end of the footage (T0+16s): no grant, and no segment handed over
    ChainBrokenException e = assertThrows(ChainBrokenException.class,
        () -> grant(T0.plusSeconds(16), T0.plusSeconds(100)).recipient(lawyer.publicKey()).create());
    assertTrue(e.getMessage().contains("no footage"), e.getMessage());
  }

  @Test
  void aRecipientsReencryptionUnderAGrantedKeyIsRefused() throws Exception {
    ShareGrant g = ShareGrant.parse(middle().encode());
    List<SecretBytes> keys = ShareVerifier.segmentKeys(g, lawyer);
    byte[] sealed = g.sealedSegment(1);
    dev.obscura.core.SegmentHeader h = ShareGrant.headOf(sealed).header();
    byte[] salt = java.util.Arrays.copyOfRange(sealed, h.length(), h.length() + 24);
    byte[] evil = new byte[3000];
    java.util.Arrays.fill(evil, (byte) 0x5a);
    byte[] ct = dev.obscura.crypto.chunked.ChunkedEncryption.encrypt(
        dev.obscura.crypto.segment.SealingSuite.fromId(h.suite()).chunkedSuite(), keys.get(1),
        h.toBytes(), evil, out -> System.arraycopy(salt, 0, out, 0, out.length));
    byte[] forged = java.util.Arrays.copyOf(h.toBytes(), h.length() + ct.length);
    System.arraycopy(ct, 0, forged, h.length(), ct.length);
    // same header, salt and commitment; it opens with the granted key
    assertArrayEquals(java.util.Arrays.copyOf(sealed, h.length() + 56),
        java.util.Arrays.copyOf(forged, h.length() + 56));
    assertArrayEquals(evil, new SegmentOpener().openWithSegmentKey(forged, keys.get(1)).plaintext());
    List<byte[]> segments = segs(g);
    segments.set(1, forged);
    ShareGrant tampered = g.with(segments, g.manifests());
    ShareVerifier v = ShareVerifier.expectingOwner(ownerKey.verifyingKey());
    assertThrows(ChainBrokenException.class, () -> v.checkPublic(tampered));
    // verify returns nothing at all: no plaintext of the forged segment (or any other) is released
    assertThrows(ChainBrokenException.class, () -> v.verify(tampered.encode(), lawyer));
  }
}
