package dev.obscura.crypto.segment;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.EpochId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.SegmentId;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one stream's sealed segments from a store, in order, verifying each segment and the chain
 * between them.
 *
 * <p><b>Security guarantees:</b> every segment returned by {@link #next()} authenticated whole
 * (see {@link SegmentOpener}). In addition, the reader checks that the segments it returns form an
 * unbroken run of the stream asked for: the header's stream id is the one asked for and the one
 * in the object name; the header's sequence number is the one in the object name and one more
 * than the previous segment's; and the header's previous digest equals the chain digest (over
 * every sealed byte) of the segment before it, whether that one was read in this range or lies
 * before it (then it is read whole from the store, bounded by the size limit, and hashed; a
 * forgery would need a SHA-256 second preimage). A key holder who re-encrypts other content under
 * a segment's key, header and salt keeps its commitment but not its digest, so the next segment
 * no longer follows it. A segment is released only if the stored segment after it (when there
 * is one) names its digest, so such a re-encryption is refused before any of its plaintext is
 * returned (the error then names both sequence numbers: the reader cannot tell which of the two
 * was replaced).
 * A missing, duplicated, reordered, replayed or spliced segment raises {@link
 * ChainBrokenException} naming the sequence number. After any failure, {@link #next()} keeps
 * throwing the same failure.
 *
 * <p><b>Restrictions:</b> the chain cannot show that the newest segments of a stream were
 * dropped (nothing follows them); that needs the camera's signed hash chain. A segment before
 * the read range that was deleted makes the first segment unverifiable and is reported as a
 * broken chain, unless the deletion was a retention prune and the reader was given the stream's
 * attested {@link Builder#start} (from {@code VerifiedStore.streamStart}): then the stream begins
 * at that segment, which must be stored and have exactly the digest the camera signed for it,
 * and segments before it are not read. Opening reads the public head (at most 191 bytes) of every
 * segment of the stream; the first segment of a range that does not start at 0 costs one more
 * whole-object read, of its predecessor. Epoch keys are resolved once per epoch and destroyed by {@link
 * #close()}. Not thread-safe.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * try (StreamReader reader = StreamReader.open(store, StreamId.of("front-door"), resolver)) {
 *   for (OpenedSegment s; (s = reader.next()) != null; ) {
 *     player.append(s.plaintext());
 *   }
 * }
 * }</pre>
 */
public final class StreamReader implements Closeable {
  private final SegmentStore store;
  private final StreamId stream;
  private final EpochKeyResolver resolver;
  private final SegmentOpener opener;
  /** One reused reader (one Cipher, one HMAC) for every segment this stream reader opens. */
  private final SegmentReader reader;
  private final List<Entry> entries;
  private final Map<Long, Entry> bySequence = new HashMap<>();
  private final Map<EpochId, EpochKey> keys = new HashMap<>();
  private final long expectedFirst;
  private final StreamStart start;
  private int cursor;
  private final int end;
  private long lastSequence = -1;
  private byte[] lastDigest;
  private Exception failure;
  private boolean closed;

  private static final class Entry {
    final long sequence;
    final String name;
    final long sizeBytes;
    SealedSegmentHead head;
    ObscuraException headError;

    Entry(long sequence, String name, long sizeBytes) {
      this.sequence = sequence;
      this.name = name;
      this.sizeBytes = sizeBytes;
    }
  }

  private StreamReader(Builder b) throws IOException {
    this.store = b.store;
    this.stream = b.stream;
    this.resolver = b.resolver;
    this.opener = new SegmentOpener(b.maxSegmentBytes, b.provider);
    this.reader = opener.newReader();
    this.start = b.start;
    List<Entry> list = new ArrayList<>();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
      Optional<SegmentId> id = ObjectNames.parseSegment(o.name());
      if (!id.isPresent() || !id.get().stream().equals(stream)) {
        continue; // not a segment object of this stream
      }
      if (id.get().sequence() < start.sequence()) {
        continue; // before the attested start: pruned (a prune still deleting may leave some)
      }
      Entry e = new Entry(id.get().sequence(), o.name(), o.sizeBytes());
      list.add(e);
    }
    list.sort((x, y) -> Long.compare(x.sequence, y.sequence));
    for (Entry e : list) {
      bySequence.put(e.sequence, e);
      readHead(e);
    }
    this.entries = list;
    // selection
    int first = 0;
    int last = list.size() - 1;
    long expected = start.isGenesis() ? -1 : start.sequence();
    if (b.fromSequence != null && b.fromSequence > start.sequence()) {
      while (first < list.size() && list.get(first).sequence < b.fromSequence) {
        first++;
      }
      expected = b.fromSequence;
    }
    if (b.toSequence != null) {
      while (last >= 0 && list.get(last).sequence > b.toSequence) {
        last--;
      }
    }
    if (b.fromTime != null) {
      while (first <= last && !overlaps(list, first, b.fromTime, b.toTime)) {
        first++;
      }
      while (last >= first && !overlaps(list, last, b.fromTime, b.toTime)) {
        last--;
      }
      if (first > 0 && expected == start.sequence()) {
        // the range begins after the attested start: its first segment is checked against its
        // stored predecessor (at or after the start), like any range; completeness is the caller's
        expected = -1;
      }
    }
    if (b.fromSequence != null && first > last && !list.isEmpty() && b.toSequence >= start.sequence()
        && list.get(list.size() - 1).sequence > b.toSequence) {
      // the whole range lies inside a gap of the stored stream
      failure = new ChainBrokenException("segment " + b.fromSequence + " of stream " + stream
          + " is missing");
    }
    this.cursor = first;
    this.end = last;
    if (!start.isGenesis() && list.isEmpty()) {
      failure = new ChainBrokenException("segment " + start.sequence() + " of stream " + stream
          + ", where the owner's prune kept the stream, is missing");
    }
    this.expectedFirst = (expected >= 0 && first <= last) ? expected : -1;
  }

  /** Whether segment i overlaps [from, to) by its own time span. */
  private static boolean overlaps(List<Entry> list, int i, Instant from, Instant to) {
    Entry e = list.get(i);
    if (e.head == null) {
      return true; // unreadable head: keep it, so the error surfaces
    }
    return overlaps(e.head.header(), from, to);
  }

  /**
   * The one rule time ranges select segments by ({@link Builder#timeRange}, export, share): a
   * segment covers its own span {@code [start, end)} with {@code end = }{@link #endOf}, and is
   * selected when that span overlaps {@code [from, to)}. A gap between segments belongs to no
   * segment: a range inside a gap, or after the newest segment's end, selects nothing.
   */
  public static boolean overlaps(SegmentHeader h, Instant from, Instant to) {
    return overlaps(h.startTime(), endOf(h), from, to);
  }

  /** Whether {@code [start, end)} overlaps {@code [from, to)}. */
  public static boolean overlaps(Instant start, Instant end, Instant from, Instant to) {
    return start.isBefore(to) && end.isAfter(from);
  }

  /**
   * The streams that have at least one segment in {@code store}, sorted (names only; nothing is
   * verified).
   *
   * @param store the store
   * @return the stream ids
   * @throws IOException if the store cannot be listed
   */
  public static java.util.SortedSet<StreamId> streams(SegmentStore store) throws IOException {
    java.util.TreeSet<StreamId> streams = new java.util.TreeSet<>();
    for (dev.obscura.core.StoredObject o : store.list("")) {
      dev.obscura.core.ObjectNames.parseSegment(o.name()).ifPresent(id -> streams.add(id.stream()));
    }
    return java.util.Collections.unmodifiableSortedSet(streams);
  }

  /**
   * The end of a segment's span: {@code start + duration}, and {@code start + 1 us} for a
   * segment of duration 0, so that it is selected by a range that contains its start.
   */
  public static Instant endOf(SegmentHeader h) {
    return h.durationMicros() == 0 ? h.startTime().plusNanos(1_000) : h.endTime();
  }

  private void readHead(Entry e) throws IOException {
    try (InputStream in = store.open(e.name)) {
      e.head = SegmentFormat.readHead(in);
    } catch (MalformedDataException | TruncatedSegmentException ex) {
      e.headError = ex;
    }
  }

  /** Reads all of {@code stream}'s segments. */
  public static StreamReader open(SegmentStore store, StreamId stream, EpochKeyResolver resolver)
      throws IOException {
    return builder().store(store).stream(stream).resolver(resolver).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link StreamReader}. Ranges are optional and combine. */
  public static final class Builder {
    private SegmentStore store;
    private StreamId stream;
    private EpochKeyResolver resolver;
    private Long fromSequence;
    private Long toSequence;
    private Instant fromTime;
    private Instant toTime;
    private long maxSegmentBytes = SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES;
    private StreamStart start = StreamStart.GENESIS;
    private Provider provider;

    private Builder() {}

    /**
     * The JCA provider of the segment ciphers (AES-GCM) and HMACs; {@code null} (default) for
     * the platform's preferred one. Any provider opens what any other sealed: the format is the
     * same.
     *
     * @param provider the provider, or {@code null}
     * @return this builder
     */
    public Builder provider(Provider provider) {
      this.provider = provider;
      return this;
    }

    /**
     * Where the stream begins (default {@link StreamStart#GENESIS}): after a retention prune, the
     * start {@code VerifiedStore.streamStart} attested. Segments before it are not read; the
     * start segment is accepted without its (deleted) predecessor only if its chain digest is the
     * attested one.
     *
     * @param start the stream's start
     * @return this builder
     */
    public Builder start(StreamStart start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    public Builder store(SegmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder stream(StreamId stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    public Builder resolver(EpochKeyResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Only segments with {@code from <= sequence <= to}. */
    public Builder sequenceRange(long from, long to) {
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("need 0 <= from <= to");
      }
      this.fromSequence = from;
      this.toSequence = to;
      return this;
    }

    /**
     * Only segments whose own span {@code [start, start + duration)}, from the authenticated
     * header, overlaps {@code [from, to)} (see {@link StreamReader#overlaps(SegmentHeader,
     * Instant, Instant)}): the segment in progress at {@code from} is included, one starting at
     * or after {@code to} is not, and a range inside a gap selects nothing.
     */
    public Builder timeRange(Instant from, Instant to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("need from < to");
      }
      this.fromTime = from;
      this.toTime = to;
      return this;
    }

    /** Largest sealed object read, default 256 MiB; larger ones are refused unread. */
    public Builder maxSegmentBytes(long maxSegmentBytes) {
      this.maxSegmentBytes = maxSegmentBytes;
      return this;
    }

    /** Lists the stream and reads the public heads. */
    public StreamReader build() throws IOException {
      if (store == null || stream == null || resolver == null) {
        throw new IllegalStateException("store, stream and resolver are required");
      }
      return new StreamReader(this);
    }
  }

  /**
   * The public headers of all of the stream's stored segments that parse, in sequence order (not
   * authenticated: for routing and display; {@link #next()} verifies).
   */
  public List<SegmentHeader> headers() {
    List<SegmentHeader> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.head != null) {
        out.add(e.head.header());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The next segment of the range, authenticated and verified to follow the previous one; null at
   * the end of the range.
   *
   * @throws ChainBrokenException a segment is missing, duplicated, reordered, replayed or spliced
   * @throws dev.obscura.core.IntegrityException a segment failed to open (tampered, truncated,
   *     wrong key)
   * @throws MalformedDataException a header does not parse, or an object is over the size bound
   */
  public OpenedSegment next() throws IOException, ObscuraException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    if (failure != null) {
      rethrow(failure);
    }
    if (cursor > end) {
      return null;
    }
    try {
      OpenedSegment s = verifyNext(entries.get(cursor));
      cursor++;
      return s;
    } catch (IOException | ObscuraException | RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private static void rethrow(Exception e) throws IOException, ObscuraException {
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof ObscuraException oe) {
      throw oe;
    }
    throw (RuntimeException) e;
  }

  private OpenedSegment verifyNext(Entry e) throws IOException, ObscuraException {
    long seq = e.sequence;
    long expectedSeq = lastSequence >= 0 ? lastSequence + 1 : expectedFirst;
    if (expectedSeq >= 0 && seq != expectedSeq) {
      throw new ChainBrokenException("segment " + expectedSeq + " of stream " + stream
          + " is missing (next stored is " + seq + ")");
    }
    if (e.headError != null) {
      throw e.headError;
    }
    checkPlace(e.head.header(), seq);
    byte[] expectedPrevious;
    boolean attestedStart = lastSequence < 0 && !start.isGenesis() && seq == start.sequence();
    if (lastSequence >= 0) {
      expectedPrevious = lastDigest;
    } else if (attestedStart) {
      expectedPrevious = null; // its predecessor was pruned: its own digest is checked instead
    } else if (seq == 0) {
      expectedPrevious = new byte[SegmentHeader.DIGEST_LENGTH];
    } else {
      Entry before = bySequence.get(seq - 1);
      if (before == null || before.head == null) {
        throw new ChainBrokenException("segment " + (seq - 1) + " of stream " + stream
            + ", which segment " + seq + " follows, is " + (before == null ? "missing" : "unreadable"));
      }
      checkPlace(before.head.header(), seq - 1);
      expectedPrevious = wholeDigest(before);
    }
    if (e.sizeBytes > opener.maxSegmentBytes()) {
      throw new MalformedDataException("segment " + seq + " of stream " + stream + " has "
          + e.sizeBytes + " bytes, over the maximum of " + opener.maxSegmentBytes());
    }
    byte[] sealed = store.readAll(e.name, (int) opener.maxSegmentBytes());
    SegmentHeader header = SegmentFormat.parseHeader(sealed);
    checkPlace(header, seq);
    OpenedSegment opened = reader.openWhole(sealed, key(header.epoch()));
    if (!opened.header().equals(e.head.header())) {
      throw new ChainBrokenException("segment " + seq + " of stream " + stream
          + " changed between listing and reading");
    }
    if (attestedStart && !MessageDigest.isEqual(opened.digest(), start.digest().get())) {
      java.util.Arrays.fill(opened.plaintext(), (byte) 0);
      throw new ChainBrokenException("segment " + seq + " of stream " + stream + ", where the owner's"
          + " prune kept the stream, is not the one the camera signed (replaced)");
    }
    if (expectedPrevious != null && !MessageDigest.isEqual(opened.header().previousDigest(), expectedPrevious)) {
      throw new ChainBrokenException("segment " + seq + " of stream " + stream
          + " does not follow segment " + (seq - 1) + " (previous digest mismatch: spliced,"
          + " replayed or reordered)");
    }
    // Before releasing it: if the store holds the next segment, its previous digest must name
    // this one. A key holder's re-encryption (same key, header, salt and commitment, other
    // content) opens, but its digest is not the one the camera chained on: refused here, so none
    // of its plaintext is released.
    byte[] digest = opened.digest();
    Entry after = seq < SegmentId.MAX_SEQUENCE ? bySequence.get(seq + 1) : null;
    if (after != null && after.head != null && after.head.header().stream().equals(stream)
        && after.head.header().sequence() == seq + 1
        && !MessageDigest.isEqual(after.head.header().previousDigest(), digest)) {
      java.util.Arrays.fill(opened.plaintext(), (byte) 0);
      throw new ChainBrokenException("segment " + (seq + 1) + " of stream " + stream
          + " does not follow segment " + seq + " (previous digest mismatch: segment " + seq
          + " was replaced or re-encrypted)");
    }
    lastSequence = seq;
    lastDigest = digest;
    return opened;
  }

  /** The chain digest of a stored segment, read whole (bounded) and not kept. */
  private byte[] wholeDigest(Entry e) throws IOException, ObscuraException {
    if (e.sizeBytes > opener.maxSegmentBytes()) {
      throw new MalformedDataException("segment " + e.sequence + " of stream " + stream + " has "
          + e.sizeBytes + " bytes, over the maximum of " + opener.maxSegmentBytes());
    }
    SealedSegmentHead whole;
    try (InputStream in = store.open(e.name)) {
      whole = SegmentFormat.readWhole(in, opener.maxSegmentBytes());
    }
    checkPlace(whole.header(), e.sequence);
    if (!whole.header().equals(e.head.header())) {
      throw new ChainBrokenException("segment " + e.sequence + " of stream " + stream
          + " changed between listing and reading");
    }
    return whole.digest();
  }

  private void checkPlace(SegmentHeader h, long seq) throws ChainBrokenException {
    if (!h.stream().equals(stream)) {
      throw new ChainBrokenException("segment " + seq + " stored under stream " + stream
          + " belongs to stream " + h.stream());
    }
    if (h.sequence() != seq) {
      throw new ChainBrokenException("segment stored as " + seq + " of stream " + stream
          + " is segment " + h.sequence());
    }
  }

  private EpochKey key(EpochId epoch) throws IOException, ObscuraException {
    EpochKey k = keys.get(epoch);
    if (k == null) {
      k = resolver.resolve(stream, epoch);
      keys.put(epoch, k);
    }
    return k;
  }

  /** Destroys the cached epoch keys. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (EpochKey k : keys.values()) {
        k.destroy();
      }
      keys.clear();
      reader.close();
    }
  }
}
