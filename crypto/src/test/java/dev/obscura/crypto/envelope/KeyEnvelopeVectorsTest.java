package dev.obscura.crypto.envelope;

import static dev.obscura.crypto.testing.VectorFiles.flip;
import static dev.obscura.crypto.testing.VectorFiles.set;
import static dev.obscura.crypto.testing.VectorFiles.setLong;
import static dev.obscura.crypto.testing.VectorFiles.setShort;
import static dev.obscura.crypto.testing.VectorViewer.cat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EpochId;
import dev.obscura.core.Hex;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.Stanza;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.BcHpke;
import dev.obscura.crypto.testing.BcHpke.Sealed;
import dev.obscura.crypto.testing.VectorFiles;
import dev.obscura.crypto.testing.VectorViewer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/spec/vectors/key-envelope/}: key envelopes (key-envelope-v1) generated here with
 * deterministic keys, checked byte for byte, and opened or refused through the SDK as each file's
 * {@code expect:} line says. Regenerate with {@code -Dobscura.regenerateVectors=true}.
 *
 * <p>The SDK's HPKE (Tink) draws the ephemeral key itself, so its stanzas cannot be reproduced.
 * The recipient stanzas of these vectors are therefore sealed by a {@link Recipient} of this test
 * with {@link BcHpke} (Bouncy Castle's HPKE, a third implementation beside Tink and the
 * independent decoder), its ephemeral key derived by RFC 9180 DeriveKeyPair from a fixed {@code
 * ikm_e}, as RFC 9180's own test vectors are made. The envelope around them (header, stanza count,
 * roster stanza, camera signature) is the SDK's {@link KeyEnvelope#seal}; the SDK (Tink) opens
 * them. The HPKE values (shared secret, key, base nonce) are written so that another
 * implementation can be checked step by step: IndependentKeyEnvelopeVectorsTest recomputes them
 * with the RFC 9180 code that reproduces RFC 9180 A.1.1.
 */
class KeyEnvelopeVectorsTest {
  static final StreamId STREAM = StreamId.of("front-door");
  static final EpochId EPOCH = EpochId.of(7);
  static final Instant CREATED = Instant.parse("2026-12-01T08:00:00.123456Z");
  static final byte[] INFO_LABEL = "obscura/v1 envelope hpke-x25519".getBytes(StandardCharsets.US_ASCII);

  static byte[] bytes(int first, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  /**
   * A recipient that wraps with {@link BcHpke} and the ephemeral key DeriveKeyPair(ikmE),
   * recording the values in {@code log}.
   */
  static Recipient bcRecipient(ViewerPublicKey viewer, byte[] ikmE, List<Sealed> log) {
    return (key, envelopeHeader) -> {
      Sealed s = BcHpke.seal(viewer.rawBytes(), cat(INFO_LABEL, envelopeHeader),
          key.secret().toByteArray(InsecureSecretAccess.get()), ikmE);
      log.add(s);
      return new Stanza(Stanza.TYPE_HPKE_X25519, cat(viewer.keyId(), s.enc(), s.ct()));
    };
  }

  static EpochKey epochKey(StreamId stream, EpochId epoch, byte[] k) {
    return new EpochKey(stream, epoch, SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
  }

  static final VectorViewer PHONE = VectorViewer.generate(11);
  static final VectorViewer TABLET = VectorViewer.generate(12);
  static final VectorViewer STRANGER = VectorViewer.generate(13);
  static final SigningKey CAMERA = SigningKey.generate(EntropySource.insecureDeterministicForTests(2026));
  static final SigningKey OTHER_CAMERA = SigningKey.generate(EntropySource.insecureDeterministicForTests(2027));
  static final byte[] KEY = bytes(0x40, 32);
  static final RosterRef ROSTER = new RosterRef(3, bytes(0xa0, 32));

  /** Offset of stanza {@code i}'s type byte in an envelope whose stanzas are all 96-byte bodies. */
  static int stanzaAt(int i) {
    return new EnvelopeHeader(STREAM, EPOCH, CREATED).length() + 2 + 99 * i;
  }

  static Map<String, String> generate() throws Exception {
    EnvelopeHeader header = new EnvelopeHeader(STREAM, EPOCH, CREATED);
    EpochKey key = epochKey(STREAM, EPOCH, KEY);
    Map<String, String> out = new LinkedHashMap<>();

    List<Sealed> one = new ArrayList<>();
    byte[] single = KeyEnvelope.seal(header, key, List.of(bcRecipient(PHONE.publicKey(), bytes(0x10, 32), one)));
    add(out, "valid-one-recipient", "valid",
        "Epoch 7 of front-door wrapped to one viewer; unsigned (a store without a roster).",
        header, single, List.of(PHONE), one, null);

    List<Sealed> two = new ArrayList<>();
    List<Recipient> both = List.of(bcRecipient(PHONE.publicKey(), bytes(0x10, 32), two),
        bcRecipient(TABLET.publicKey(), bytes(0x30, 32), two));
    byte[] signed = KeyEnvelope.seal(header, key, both, CAMERA, ROSTER);
    add(out, "valid-two-recipients-signed", "valid",
        "Epoch 7 wrapped to two viewers, naming roster version 3 (type 4) and signed by the camera (type 2).",
        header, signed, List.of(PHONE, TABLET), two, CAMERA.verifyingKey());

    List<Sealed> two2 = new ArrayList<>();
    byte[] unsigned = KeyEnvelope.seal(header, key, List.of(bcRecipient(PHONE.publicKey(), bytes(0x10, 32), two2),
        bcRecipient(TABLET.publicKey(), bytes(0x30, 32), two2)));
    KeyEnvelope parsed = KeyEnvelope.parse(unsigned);
    List<Stanza> withUnknown = new ArrayList<>(parsed.stanzas());
    withUnknown.add(0, new Stanza(9, bytes(0x00, 5)));
    withUnknown.add(new Stanza(3, new byte[0]));
    add(out, "valid-unknown-stanzas-skipped", "valid",
        "The two-recipient envelope, unsigned, with a stanza of unknown type 9 first and an empty type-3 stanza"
            + " last: readers skip both.",
        header, KeyEnvelope.encode(header, withUnknown), List.of(PHONE, TABLET), two2, null);

    List<VectorViewer> phone = List.of(PHONE);
    add(out, "flipped-ciphertext-bit", "IntegrityException",
        "One bit of the phone's HPKE ciphertext (the AES-GCM tag's last byte) flipped.",
        header, flip(unsigned, stanzaAt(1) - 1), phone, null, null);
    add(out, "flipped-enc-bit", "IntegrityException",
        "One bit of the phone's HPKE enc (the ephemeral public key) flipped.",
        header, flip(unsigned, stanzaAt(0) + 3 + 16 + 5), phone, null, null);
    List<Stanza> swapped = new ArrayList<>();
    byte[] b0 = parsed.stanzas().get(0).body();
    byte[] b1 = parsed.stanzas().get(1).body();
    swapped.add(new Stanza(1, cat(Arrays.copyOf(b0, 16), Arrays.copyOfRange(b1, 16, 96))));
    swapped.add(new Stanza(1, cat(Arrays.copyOf(b1, 16), Arrays.copyOfRange(b0, 16, 96))));
    add(out, "stanzas-swapped-between-recipients", "IntegrityException",
        "The key ids of the two stanzas exchanged: each viewer's key id now heads the other's HPKE ciphertext."
            + " A reader must not fall through to the other stanza.",
        header, KeyEnvelope.encode(header, swapped), List.of(PHONE, TABLET), null, null);
    add(out, "header-of-another-epoch", "IntegrityException",
        "The header says epoch 8; the stanzas were wrapped under epoch 7's header (HPKE info binds it).",
        header, replaceHeader(unsigned, new EnvelopeHeader(STREAM, EpochId.of(8), CREATED)), phone, null, null);
    add(out, "header-of-another-stream", "IntegrityException",
        "The header says stream back-doors (the same length).",
        header, replaceHeader(unsigned, new EnvelopeHeader(StreamId.of("back-doors"), EPOCH, CREATED)), phone,
        null, null);
    add(out, "creation-time-changed", "IntegrityException", "The header's creation time is 1 us later.",
        header, replaceHeader(unsigned, new EnvelopeHeader(STREAM, EPOCH, CREATED.plusNanos(1000))), phone,
        null, null);
    EnvelopeHeader epoch8 = new EnvelopeHeader(STREAM, EpochId.of(8), CREATED);
    byte[] other = KeyEnvelope.seal(epoch8, epochKey(STREAM, EpochId.of(8), bytes(0x60, 32)),
        List.of(bcRecipient(PHONE.publicKey(), bytes(0x50, 32), new ArrayList<>())));
    List<Stanza> moved = new ArrayList<>(parsed.stanzas());
    moved.set(0, KeyEnvelope.parse(other).stanzas().get(0));
    add(out, "stanza-from-another-epoch", "IntegrityException",
        "The phone's stanza replaced by its stanza of epoch 8's envelope (another key, another header).",
        header, KeyEnvelope.encode(header, moved), phone, null, null);
    add(out, "not-a-recipient", "KeyUnavailableException",
        "Opened by a viewer that no stanza names.", header, unsigned, List.of(STRANGER), null, null);
    add(out, "unsigned-where-a-camera-signs", "IntegrityException",
        "A valid envelope to the phone, but unsigned, read by a reader that knows the camera key: what a"
            + " store could plant with an epoch key of its own.",
        header, single, phone, null, CAMERA.verifyingKey());
    add(out, "signed-by-another-camera", "IntegrityException",
        "Signed by another key (its key id names it), not the camera's.",
        header, KeyEnvelope.seal(header, key, List.of(bcRecipient(PHONE.publicKey(), bytes(0x10, 32),
            new ArrayList<>())), OTHER_CAMERA, ROSTER), phone, null, CAMERA.verifyingKey());
    int rosterVersionAt = stanzaAt(2) + 3 + 7;
    add(out, "roster-version-changed-after-signing", "IntegrityException",
        "The roster stanza's version changed from 3 to 2 after the camera signed.",
        header, set(signed, rosterVersionAt, 2), phone, null, CAMERA.verifyingKey());
    add(out, "signature-bit-flipped", "IntegrityException",
        "One bit of the camera signature flipped.", header, flip(signed, signed.length - 1), phone, null,
        CAMERA.verifyingKey());
    List<Stanza> twoRosters = new ArrayList<>(parsed.stanzas());
    twoRosters.add(new Stanza(Stanza.TYPE_ROSTER, ROSTER.encode()));
    twoRosters.add(new Stanza(Stanza.TYPE_ROSTER, new RosterRef(4, bytes(0xb0, 32)).encode()));
    add(out, "two-roster-stanzas", "MalformedDataException",
        "Two type-4 stanzas (unsigned): at most one is allowed.",
        header, KeyEnvelope.encode(header, twoRosters), phone, null, null);
    List<Stanza> rosterZero = new ArrayList<>(parsed.stanzas());
    byte[] zero = ROSTER.encode();
    Arrays.fill(zero, 0, 8, (byte) 0);
    rosterZero.add(new Stanza(Stanza.TYPE_ROSTER, zero));
    add(out, "roster-version-zero", "MalformedDataException",
        "A type-4 stanza naming roster version 0.", header, KeyEnvelope.encode(header, rosterZero), phone, null,
        null);
    List<Stanza> shortHpke = new ArrayList<>(parsed.stanzas());
    shortHpke.add(new Stanza(1, bytes(0x70, 95)));
    add(out, "hpke-stanza-of-95-bytes", "MalformedDataException",
        "A third type-1 stanza, not the phone's, with a 95-byte body: every type-1 body must be 96 bytes.",
        header, KeyEnvelope.encode(header, shortHpke), phone, null, null);
    add(out, "bad-magic", "MalformedDataException", "Magic is OBSD.", header, flip(unsigned, 3), phone, null, null);
    add(out, "unknown-version", "MalformedDataException", "Version 2.", header, set(unsigned, 4, 2), phone, null,
        null);
    add(out, "stream-id-length-zero", "MalformedDataException", "n = 0.", header, set(unsigned, 5, 0), phone, null,
        null);
    add(out, "stream-id-bad-byte", "MalformedDataException",
        "The stream id's third byte is '/': outside [A-Za-z0-9][A-Za-z0-9._-]{0,63}.", header,
        set(unsigned, 6 + 2, '/'), phone, null, null);
    add(out, "epoch-above-the-limit", "MalformedDataException",
        "The header's epoch is 2^62 + 1: epochs are 0..2^62.", header, setLong(unsigned, 6 + 10, (1L << 62) + 1),
        phone, null, null);
    int countAt = header.length();
    add(out, "stanza-count-zero", "MalformedDataException", "The stanza count is 0.", header,
        setShort(unsigned, countAt, 0), phone, null, null);
    add(out, "stanza-count-too-large", "MalformedDataException",
        "The stanza count is 1025 (the limit is 1024).", header, setShort(unsigned, countAt, 1025), phone, null,
        null);
    add(out, "more-stanzas-than-bytes", "MalformedDataException",
        "The stanza count is 1000: 1000 stanzas of at least 3 bytes do not fit in what remains.", header,
        setShort(unsigned, countAt, 1000), phone, null, null);
    add(out, "stanza-body-over-4096", "MalformedDataException",
        "The first stanza's body length says 4097.", header, setShort(unsigned, stanzaAt(0) + 1, 4097), phone,
        null, null);
    add(out, "truncated", "MalformedDataException", "The last byte is missing.", header,
        Arrays.copyOf(unsigned, unsigned.length - 1), phone, null, null);
    add(out, "trailing-data", "MalformedDataException", "One zero byte after the last stanza.", header,
        Arrays.copyOf(unsigned, unsigned.length + 1), phone, null, null);
    return out;
  }

  static byte[] replaceHeader(byte[] envelope, EnvelopeHeader h) {
    int old = new EnvelopeHeader(STREAM, EPOCH, CREATED).length();
    return cat(h.toBytes(), Arrays.copyOfRange(envelope, old, envelope.length));
  }

  static void add(Map<String, String> out, String scenario, String expect, String comment, EnvelopeHeader header,
      byte[] envelope, List<VectorViewer> viewers, List<Sealed> sealed, VerifyingKey camera) {
    StringBuilder s = new StringBuilder();
    s.append("scenario: ").append(scenario).append("\nexpect: ").append(expect).append("\ncomment: ")
        .append(comment).append("\nstream: ").append(STREAM).append("\nepoch: ").append(EPOCH.value())
        .append("\ncreated_micros: ").append(CREATED.getEpochSecond() * 1_000_000L + CREATED.getNano() / 1000)
        .append("\nepoch_key: ").append(Hex.format(KEY))
        .append("\nhpke_info: ").append(Hex.format(cat(INFO_LABEL, header.toBytes())))
        .append("\ncamera_public_key: ").append(camera == null ? "none" : Hex.format(camera.rawBytes()))
        .append("\nviewers: ").append(viewers.size());
    for (int i = 0; i < viewers.size(); i++) {
      VectorViewer v = viewers.get(i);
      s.append("\nviewer_").append(i).append("_private_key: ").append(Hex.format(v.privateKey()))
          .append("\nviewer_").append(i).append("_public_key: ").append(Hex.format(v.publicKey().rawBytes()))
          .append("\nviewer_").append(i).append("_key_id: ").append(Hex.format(v.publicKey().keyId()));
      if (sealed != null) {
        Sealed h = sealed.get(i);
        String p = "\nviewer_" + i + "_";
        s.append(p).append("ikm_e: ").append(Hex.format(h.ikmE()))
            .append(p).append("sk_e: ").append(Hex.format(h.skE()))
            .append(p).append("enc: ").append(Hex.format(h.enc()))
            .append(p).append("shared_secret: ").append(Hex.format(h.sharedSecret()))
            .append(p).append("key: ").append(Hex.format(h.key()))
            .append(p).append("base_nonce: ").append(Hex.format(h.baseNonce()))
            .append(p).append("ct: ").append(Hex.format(h.ct()));
      }
    }
    s.append("\nenvelope_length: ").append(envelope.length).append("\nenvelope: ").append(Hex.format(envelope))
        .append('\n');
    out.put(scenario + ".txt", s.toString());
  }

  /**
   * The SDK's reader, on one vector: parse; if the vector names a camera key, check the camera
   * signature; read the roster stanza; open with every viewer. Returns the keys opened.
   */
  static List<byte[]> open(Map<String, String> v) throws Exception {
    KeyEnvelope envelope = KeyEnvelope.parse(Hex.parse(v.get("envelope")));
    if (!v.get("camera_public_key").equals("none")) {
      envelope.verifySignature(List.of(VerifyingKey.fromRawBytes(Hex.parse(v.get("camera_public_key")))));
    }
    envelope.rosterRef();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(v.get("viewers")); i++) {
      ViewerIdentity id = VectorViewer.identity(Hex.parse(v.get("viewer_" + i + "_private_key")));
      assertArrayEquals(Hex.parse(v.get("viewer_" + i + "_public_key")), id.publicKey().rawBytes());
      EpochKey k = envelope.open(id);
      assertEquals(envelope.header().stream(), k.stream());
      assertEquals(envelope.header().epoch(), k.epoch());
      keys.add(k.secret().toByteArray(InsecureSecretAccess.get()));
    }
    return keys;
  }

  @Test
  void committedVectorsAreWhatTheCodeMakes() throws Exception {
    VectorFiles.check("key-envelope", generate());
  }

  @Test
  void vectorsOpenOrAreRefusedAsTheySay() throws Exception {
    int[] refused = {0};
    int valid = VectorFiles.checkExpectations("key-envelope", v -> {
      List<byte[]> keys = open(v);
      assertEquals(Integer.parseInt(v.get("viewers")), keys.size());
      for (byte[] k : keys) {
        assertArrayEquals(Hex.parse(v.get("epoch_key")), k, v.get("scenario"));
      }
      assertEquals(Integer.parseInt(v.get("envelope_length")), Hex.parse(v.get("envelope")).length);
    }, v -> {
      refused[0]++;
      return () -> open(v);
    });
    assertEquals(3, valid);
    assertEquals(26, refused[0]);
  }
}
