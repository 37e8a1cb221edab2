package dev.obscura.crypto.share;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObscuraException;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.ByteArrayChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzzes the share grant file (a file a user is handed): {@link ShareGrant#parse}, the framing
 * gate {@link ShareGrant#checkedSize} and {@link ShareVerifier}. Invariants: the format is
 * canonical (explicit lengths, nothing trailing), so a grant that parses encodes to exactly its
 * input; its owner record ({@link ShareRecord}, parsed through {@link Wire}) is re-encoded here
 * from its accessors, by this test's own writer of the spec's layout, to exactly the record
 * body; the framing gate accepts every grant the parser accepts, with the file's size; and
 * verification fails only with the documented {@link ObscuraException} subclasses. ({@link
 * ShareRequest} builds a grant from a store and parses no bytes: it is exercised by the seeds'
 * making, not here.) Seeds ({@code ShareGrantFuzzTestInputs/}) are grants made by this code for
 * the deterministic lawyer identity below, so mutated seeds reach the signature and HPKE checks.
 */
class ShareGrantFuzzTest {
  static final long MAX_SEGMENT = 1 << 20;
  static final ViewerIdentity OWNER = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));
  static final ViewerIdentity LAWYER = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(4));
  static final ShareVerifier VERIFIER = ShareVerifier.expectingOwner(OWNER.signingKey().orElseThrow().verifyingKey());

  @FuzzTest(maxDuration = "90s")
  void parseEncodeVerify(byte[] data) throws MalformedDataException, IOException {
    ShareGrant g;
    try {
      g = ShareGrant.parse(data, MAX_SEGMENT);
    } catch (MalformedDataException expected) {
      try {
        ShareGrant.checkedSize(new ByteArrayChannel(data), MAX_SEGMENT, Integer.MAX_VALUE - 64);
      } catch (MalformedDataException alsoExpected) {
        // typed; the gate may pass what the parser refuses (it checks framing only)
      }
      return;
    }
    assertArrayEquals(data, g.encode(), "a parsed share grant does not re-encode to its input");
    assertEquals(data.length, g.encodedSizeBytes());
    assertEquals(data.length,
        ShareGrant.checkedSize(new ByteArrayChannel(data), MAX_SEGMENT, Integer.MAX_VALUE - 64),
        "the framing gate disagrees with the parser");
    ShareRecord r = g.record();
    assertArrayEquals(r.body(), encodeRecord(r), "a parsed share record is not the spec's encoding of what it says");
    assertEquals(r.segmentCount(), g.segmentCount());
    for (ChainManifest m : g.manifests()) {
      assertArrayEquals(m.encode(), ChainManifest.parse(m.encode()).encode());
    }
    ShareGrant again = ShareGrant.parse(g.encode(), MAX_SEGMENT);
    assertArrayEquals(r.hash(), again.record().hash());
    try {
      VERIFIER.verify(g, LAWYER);
    } catch (ObscuraException expected) {
      // the documented failures (all ObscuraException subclasses)
    }
  }

  /** The spec's record layout (docs/spec/share-grant-v1.md section 3), from the accessors. */
  static byte[] encodeRecord(ShareRecord r) {
    Wire.Out o = new Wire.Out(256);
    o.bytes(ShareRecord.MAGIC).u8(r.version()).bytes(r.grantId()).u64(micros(r.created()));
    o.bytes(r.owner().rawBytes());
    if (r.version() >= 2) {
      o.bytes(r.ownerDevice().orElseThrow().rawBytes());
    }
    o.u8(r.cameras().size());
    for (VerifyingKey c : r.cameras()) {
      o.bytes(c.rawBytes());
    }
    o.u8(r.recipientKind().code);
    if (r.recipientKind() == ShareRecord.RecipientKind.VIEWER_KEY) {
      ViewerPublicKey k = r.recipientKey().orElseThrow();
      o.bytes(k.rawBytes());
      o.u8(k.verifyingKey().isPresent() ? 1 : 0);
      k.verifyingKey().ifPresent(v -> o.bytes(v.rawBytes()));
    } else {
      o.bytes(r.salt()).u32(r.passphraseCost().orElseThrow().memoryKib())
          .u32(r.passphraseCost().orElseThrow().iterations()).u8(r.passphraseCost().orElseThrow().parallelism());
    }
    byte[] sid = r.stream().toBytes();
    o.u8(sid.length).bytes(sid).u64(r.firstSequence()).u64(r.lastSequence());
    o.u64(micros(r.from())).u64(micros(r.to()));
    for (byte[] d : r.digests()) {
      o.bytes(d);
    }
    byte[] reason = r.reason().getBytes(StandardCharsets.UTF_8);
    o.u16(reason.length).bytes(reason);
    return o.toByteArray();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
