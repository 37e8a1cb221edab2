package dev.obscura.crypto.audit;

import java.util.Locale;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The household's append-only, hash-chained, signed log of enrolments, revocations, rotations,
 * recoveries and shares, kept in a {@link SegmentStore} like everything else: entry {@code i} is
 * the object {@code audit/i.entry} ({@code i} zero-padded to 19 digits), an {@link AuditEntry}
 * that carries the hash of entry {@code i-1} and is signed by its actor.
 *
 * <p><b>Security guarantees:</b> {@link #verify} reports an entry that was deleted from the
 * beginning or the middle (a gap in the sequence numbers, or a successor whose previous hash no
 * longer matches), edited (the signature fails, and the successor's previous hash no longer
 * matches), reordered or moved (the sequence number in the signed body differs from the object
 * name, or the previous hash does not match), replaced by an entry signed by a key that is not
 * trusted, or forged by someone without a trusted key.
 *
 * <p><b>Restrictions:</b>
 *
 * <ul>
 *   <li>Deleting the newest entries (tail truncation) leaves a shorter log that is valid on its
 *       own. Only a device that remembers the head it saw ({@link AuditReport#head()}) can detect
 *       it: pass that head to {@link #verify(SegmentStore, Collection, AuditHead)}.
 *   <li>A store without conditional writes cannot stop two devices appending the same sequence
 *       number at once; the later write replaces the earlier, and that loss is not detectable.
 *       Append from one device at a time (or from the owner's primary device).
 *   <li>Entries are signed, not encrypted: the store sees types, times, actor keys and payloads.
 * </ul>
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * AuditLog.append(store, ownerKey, AuditEntry.Type.ENROL, deviceKeyId);
 * AuditReport r = AuditLog.verify(store, List.of(ownerKey.verifyingKey()));
 * if (!r.verified()) r.problems().forEach(System.out::println);
 * }</pre>
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  /** Prefix of audit entry objects. */
  public static final String PREFIX = "audit/";
  private static final Pattern NAME = Pattern.compile("audit/(\\d{19})\\.entry");

  private AuditLog() {}

  /** The object name of entry {@code seq}. */
  public static String objectName(long seq) {
    return PREFIX + String.format(Locale.ROOT, "%019d", seq) + ".entry";
  }

  /** Appends an entry stamped with the system clock. */
  public static AuditEntry append(SegmentStore store, SigningKey actor, AuditEntry.Type type,
      byte[] payload) throws IOException, MalformedDataException {
    return append(store, actor, type, payload, Clock.systemUTC());
  }

  /**
   * Appends an entry after the newest stored one.
   *
   * @throws MalformedDataException if the newest stored entry does not parse (a log that ends in
   *     garbage is not appended to)
   * @throws IllegalArgumentException if the payload is longer than {@value
   *     AuditEntry#MAX_PAYLOAD_BYTES} bytes
   */
  public static AuditEntry append(SegmentStore store, SigningKey actor, AuditEntry.Type type,
      byte[] payload, Clock clock) throws IOException, MalformedDataException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(clock, "clock");
    long seq = 0;
    byte[] prev = new byte[32];
    List<StoredObject> names = entryObjects(store);
    if (!names.isEmpty()) {
      StoredObject last = names.get(names.size() - 1);
      AuditEntry e = AuditEntry.parse(store.readAll(last.name(), AuditEntry.MAX_ENCODED_BYTES));
      seq = Math.max(e.sequence(), parseName(last.name()).get()) + 1;
      prev = e.hash();
    }
    AuditEntry entry = AuditEntry.sign(seq, clock.instant(), type, actor, prev, payload);
    store.put(objectName(seq), entry.encode());
    log.debug("appended audit entry {} ({}) by {}", seq, type, actor.verifyingKey().keyIdHex());
    return entry;
  }

  /** Verifies the log with no remembered head. */
  public static AuditReport verify(SegmentStore store, Collection<VerifyingKey> trustedKeys)
      throws IOException {
    return verify(store, trustedKeys, null);
  }

  /**
   * Reads and verifies the whole log: every entry parses, is stored under its own sequence
   * number, the numbers run 0, 1, 2, ... without gaps, each is signed by its actor, each actor is
   * in {@code trustedKeys}, and each entry's previous hash is the hash of the entry before it.
   * With {@code expectedHead} (the head a device remembered), the log must still contain that
   * entry, unchanged.
   *
   * @param trustedKeys the keys allowed to write the log (the household's devices, its cameras);
   *     empty to check the chain and signatures only (every signer is then reported as unknown)
   */
  public static AuditReport verify(SegmentStore store, Collection<VerifyingKey> trustedKeys,
      AuditHead expectedHead) throws IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(trustedKeys, "trustedKeys");
    List<AuditEntry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long expected = 0;
    byte[] prevHash = new byte[32];
    boolean prevKnown = true;
    AuditEntry head = null;
    byte[] expectedHeadHash = null;
    for (StoredObject o : entryObjects(store)) {
      long named = parseName(o.name()).get();
      if (named != expected) {
        problems.add(named > expected
            ? (named - expected == 1 ? "entry " + expected : "entries " + expected + ".."
                + (named - 1)) + " missing (deleted)"
            : "entry " + named + " stored out of order");
        prevKnown = false;
      }
      AuditEntry e;
      try {
        e = AuditEntry.parse(store.readAll(o.name(), AuditEntry.MAX_ENCODED_BYTES));
      } catch (MalformedDataException ex) {
        problems.add("entry " + named + " is malformed: " + ex.getMessage());
        expected = named + 1;
        prevKnown = false;
        continue;
      }
      entries.add(e);
      if (e.sequence() != named) {
        problems.add("entry stored as " + named + " is entry " + e.sequence()
            + " (moved or reordered)");
      }
      try {
        e.verifySignature();
      } catch (IntegrityException ex) {
        problems.add("entry " + named + " was edited (its signature does not verify)");
      }
      if (!trustedKeys.contains(e.actor())) {
        problems.add("entry " + named + " is signed by an unknown key " + e.actor().keyIdHex()
            + " (fingerprint " + e.actor().fingerprint() + ")");
      }
      if (prevKnown && !MessageDigest.isEqual(prevHash, e.previousHash())) {
        problems.add("entry " + named + " does not follow entry " + (named - 1)
            + " (an entry before it was edited, replaced, reordered or deleted)");
      }
      if (expectedHead != null && named == expectedHead.sequence()) {
        expectedHeadHash = e.hash();
      }
      prevHash = e.hash();
      prevKnown = true;
      expected = named + 1;
      head = e;
    }
    if (expectedHead != null) {
      if (expectedHeadHash == null) {
        problems.add("entry " + expectedHead.sequence() + ", the newest one this device saw,"
            + " is gone (the log was truncated)");
      } else if (!MessageDigest.isEqual(expectedHeadHash, expectedHead.hash())) {
        problems.add("entry " + expectedHead.sequence() + " differs from the one this device"
            + " saw (the log was rewritten)");
      }
    }
    Optional<AuditHead> h = head == null ? Optional.empty()
        : Optional.of(new AuditHead(head.sequence(), head.hash()));
    if (!problems.isEmpty()) {
      log.debug("audit log has {} problem(s)", problems.size());
    }
    return new AuditReport(entries, problems, h);
  }

  private static List<StoredObject> entryObjects(SegmentStore store) throws IOException {
    List<StoredObject> out = new ArrayList<>();
    for (StoredObject o : store.list(PREFIX)) {
      if (parseName(o.name()).isPresent()) {
        out.add(o);
      }
    }
    return out; // sorted by name = by sequence (zero-padded)
  }

  private static Optional<Long> parseName(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
