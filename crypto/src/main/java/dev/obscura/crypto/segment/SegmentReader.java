package dev.obscura.crypto.segment;

import dev.obscura.core.Bytes;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentHeader;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.ChunkDecryptor;
import dev.obscura.crypto.chunked.ChunkedEncryption;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.Arrays;
import java.util.Objects;

/**
 * The viewer's buffer-based path through sealed segments: one reader is reused for segment after
 * segment, with one JCA {@code Cipher}, one HMAC and two 16 KiB buffers, and decrypts into the
 * caller's array. {@link #start} begins a segment (a whole object in memory, or a stream), {@link
 * #read} returns its plaintext chunk by chunk; {@link SegmentOpener}, {@link OpenedSegment} and
 * {@link SegmentInputStream} are decorators over it.
 *
 * <p><b>Security guarantees:</b> {@code start} checks the key commitment (wrong key, or a header
 * that is not the one sealed: {@link KeyMismatchException}) before any chunk is decrypted.
 * {@link #read} writes into the caller's array only plaintext of a chunk that authenticated at its
 * index; on a failed chunk the region it would have written is zeroed. {@code -1} (the end) is
 * returned only after the short final chunk authenticated and, for a stream, the stream ended: a
 * truncated or extended segment never reads as complete. After a failure every later read fails
 * with the same exception until the next {@code start}. For an object in memory the length is
 * checked at {@code start}, so a cut-short one fails before any plaintext is released; a stream
 * may release earlier authentic chunks before its bad one (read it whole with {@link #readFully}
 * from memory where all-or-nothing matters).
 *
 * <p><b>Restrictions:</b> not thread-safe: one reader per thread. <b>Buffer ownership:</b> the
 * sealed array given to {@code start} is read in place (not copied) until the segment's end or the
 * next {@code start}, and must not change meanwhile; arrays given to {@link #read} are written
 * during the call only. Keys given are not retained (segment keys are derived and destroyed at
 * {@code start}); keys from a resolver are destroyed after use.
 *
 * <p><b>Sample:</b>
 * <pre>{@code
 * SegmentReader reader = new SegmentReader();
 * byte[] frame = new byte[64 * 1024];
 * for (String name : names) {
 *   reader.start(store.readAll(name, max), resolver);
 *   for (int n; (n = reader.read(frame, 0, frame.length)) != -1; ) {
 *     player.append(frame, 0, n);
 *   }
 * }
 * }</pre>
 */
public final class SegmentReader implements Closeable {
  private static final int CHUNK = ChunkedEncryption.CHUNK_SIZE_BYTES;
  private static final int FULL = ChunkedEncryption.ENCRYPTED_CHUNK_SIZE_BYTES;

  private final long maxSegmentBytes;
  private final Provider provider;
  private final SegmentKeys.Deriver keys;
  private final MessageDigest chain = SegmentFormat.newChainDigest();
  private final byte[] pt = new byte[CHUNK];
  private final byte[] ct = new byte[FULL];
  private ChunkDecryptor dec;
  private SegmentHeader header;
  // the segment's source: an array slice, or a stream
  private byte[] sealed;
  private int pos;
  private int end;
  private InputStream in;
  private long plaintextSize;
  private long index;
  private long delivered;
  private int ptPos;
  private int ptLen;
  private boolean active;
  private boolean done;
  private IntegrityException failure;
  private boolean ioFailed;
  /** Padding (SegmentPadding): 0 not yet looked for, 1 inside the box, 2 past it or none. */
  private int padState;
  private long padLeft;
  /** The chain digest, valid when hasDigest is set. */
  private final byte[] digest = new byte[SegmentHeader.DIGEST_LENGTH];
  private boolean hasDigest;
  /** Segment keys, derived into these and wiped as soon as the decryptor has its keys. */
  private final byte[] key256 = new byte[32];
  private final byte[] key128 = new byte[16];

  /** A reader that refuses sealed objects over {@link SegmentOpener#DEFAULT_MAX_SEGMENT_BYTES}. */
  public SegmentReader() {
    this(SegmentOpener.DEFAULT_MAX_SEGMENT_BYTES);
  }

  /**
   * A reader that refuses sealed objects over {@code maxSegmentBytes}.
   *
   * @param maxSegmentBytes the largest sealed object accepted, 1..2^31-65
   * @throws IllegalArgumentException if the bound is out of range
   */
  public SegmentReader(long maxSegmentBytes) {
    this(maxSegmentBytes, null);
  }

  /**
   * A reader that refuses sealed objects over {@code maxSegmentBytes} and decrypts with the
   * AES-GCM cipher and HMACs of {@code provider}, looked up here (a segment of another suite
   * looks its cipher up once, at its {@code start}).
   *
   * @param maxSegmentBytes the largest sealed object accepted, 1..2^31-65
   * @param provider the JCA provider, or {@code null} for the platform's preferred one
   * @throws IllegalArgumentException if the bound is out of range
   * @throws IllegalStateException if the provider lacks HMAC-SHA-256
   */
  public SegmentReader(long maxSegmentBytes, Provider provider) {
    if (maxSegmentBytes < 1 || maxSegmentBytes > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("maxSegmentBytes must be 1..2^31-65");
    }
    this.maxSegmentBytes = maxSegmentBytes;
    this.provider = provider;
    this.keys = new SegmentKeys.Deriver(provider);
  }

  /**
   * Starts the sealed segment in {@code sealed[off .. off+len)}, with the key the resolver gives
   * for its stream and epoch (destroyed after use).
   *
   * @param sealed the whole sealed object, read in place
   * @param off where it starts
   * @param len its length
   * @param resolver gives the epoch key
   * @return the segment's header (authenticated by the key commitment)
   * @throws MalformedDataException bad header, unknown suite, or an object over the bound
   * @throws KeyMismatchException the key does not open this segment
   * @throws TruncatedSegmentException the object was cut short
   * @throws dev.obscura.core.KeyUnavailableException from the resolver
   * @throws IOException from the resolver
   */
  public SegmentHeader start(byte[] sealed, int off, int len, EpochKeyResolver resolver)
      throws IOException, ObscuraException {
    Objects.requireNonNull(resolver, "resolver");
    SegmentHeader h = parse(sealed, off, len);
    EpochKey key = resolver.resolve(h.stream(), h.epoch());
    try {
      return start(sealed, off, len, key);
    } finally {
      key.destroy();
    }
  }

  /**
   * As {@link #start(byte[], int, int, EpochKeyResolver)} with a known epoch key (not destroyed).
   *
   * @param sealed the whole sealed object, read in place
   * @param off where it starts
   * @param len its length
   * @param epochKey the key of the segment's stream and epoch
   * @return the segment's header
   * @throws MalformedDataException bad header, unknown suite, or an object over the bound
   * @throws KeyMismatchException the key is not the segment's stream and epoch, or is wrong
   * @throws TruncatedSegmentException the object was cut short
   */
  public SegmentHeader start(byte[] sealed, int off, int len, EpochKey epochKey)
      throws MalformedDataException, IntegrityException {
    Objects.requireNonNull(epochKey, "epochKey");
    SegmentHeader h = parse(sealed, off, len);
    checkKeyFits(epochKey, h);
    SealingSuite suite = SealingSuite.fromId(h.suite());
    byte[] segmentKey = keyBuffer(suite);
    try {
      keys.deriveInto(epochKey, h.stream(), h.sequence(), suite, segmentKey);
      return begin(h, suite, sealed, off, len, segmentKey);
    } finally {
      Arrays.fill(segmentKey, (byte) 0);
    }
  }

  /**
   * As {@link #start(byte[], int, int, EpochKey)} with the segment's own key (a share grant's).
   *
   * @param sealed the whole sealed object, read in place
   * @param off where it starts
   * @param len its length
   * @param segmentKey the key of exactly this segment (not destroyed)
   * @return the segment's header
   * @throws MalformedDataException bad header, unknown suite, or an object over the bound
   * @throws KeyMismatchException the key is not this segment's
   * @throws TruncatedSegmentException the object was cut short
   * @throws IllegalArgumentException if the key has the wrong size for the segment's suite
   */
  public SegmentHeader startWithSegmentKey(byte[] sealed, int off, int len, SecretBytes segmentKey)
      throws MalformedDataException, IntegrityException {
    Objects.requireNonNull(segmentKey, "segmentKey");
    SegmentHeader h = parse(sealed, off, len);
    SealingSuite suite = SealingSuite.fromId(h.suite());
    if (segmentKey.size() != suite.segmentKeySizeBytes()) {
      reset();
      throw new IllegalArgumentException("segment key must be " + suite.segmentKeySizeBytes()
          + " bytes for " + suite);
    }
    byte[] key = keyBuffer(suite);
    try {
      segmentKey.copyTo(key, 0, dev.obscura.crypto.keys.InsecureSecretAccess.get());
      return begin(h, suite, sealed, off, len, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Starts the parsed segment {@code h} held in {@code sealed[off .. off+len)}. */
  private SegmentHeader begin(SegmentHeader h, SealingSuite suite, byte[] sealed, int off,
      int len, byte[] segmentKey) throws IntegrityException {
    reset();
    byte[] headerBytes = h.toBytes();
    int hl = headerBytes.length;
    ChunkDecryptor d = decryptor(suite);
    if (len - hl < ChunkedEncryption.HEADER_SIZE_BYTES) {
      throw new TruncatedSegmentException("segment " + h.segmentId()
          + " ends before its key commitment");
    }
    d.start(segmentKey, headerBytes, sealed, off + hl);
    plaintextSize = ChunkedEncryption.plaintextSize(len - hl);
    chain.update(sealed, off, hl + ChunkedEncryption.HEADER_SIZE_BYTES);
    this.sealed = sealed;
    this.pos = off + hl + ChunkedEncryption.HEADER_SIZE_BYTES;
    this.end = off + len;
    this.header = h;
    this.active = true;
    return h;
  }

  private byte[] keyBuffer(SealingSuite suite) {
    return suite.segmentKeySizeBytes() == key256.length ? key256 : key128;
  }

  /**
   * Starts the sealed segment read from {@code in}, which the reader reads to its end (at most
   * the bound) but does not close.
   *
   * @param in the sealed object
   * @param resolver gives the epoch key (destroyed after use)
   * @return the segment's header (authenticated by the key commitment)
   * @throws MalformedDataException bad header or unknown suite
   * @throws KeyMismatchException the key does not open this segment
   * @throws TruncatedSegmentException the stream ends before the commitment
   * @throws IOException if {@code in} fails, or from the resolver
   */
  public SegmentHeader start(InputStream in, EpochKeyResolver resolver)
      throws IOException, ObscuraException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(resolver, "resolver");
    SegmentHeader h = SegmentFormat.readHeader(in);
    SealingSuite suite = SealingSuite.fromId(h.suite());
    EpochKey key = resolver.resolve(h.stream(), h.epoch());
    byte[] segmentKey = keyBuffer(suite);
    try {
      checkKeyFits(key, h);
      keys.deriveInto(key, h.stream(), h.sequence(), suite, segmentKey);
      reset();
      ChunkDecryptor d = decryptor(suite);
      byte[] headerBytes = h.toBytes();
      int n = Bytes.readFully(in, ct, 0, ChunkedEncryption.HEADER_SIZE_BYTES);
      if (n != ChunkedEncryption.HEADER_SIZE_BYTES) {
        throw new TruncatedSegmentException("segment " + h.segmentId()
            + " ends before its key commitment");
      }
      d.start(segmentKey, headerBytes, ct, 0);
      chain.update(headerBytes);
      chain.update(ct, 0, n);
      this.in = new SegmentOpener.BoundedInputStream(in,
          maxSegmentBytes - headerBytes.length - n);
      this.plaintextSize = -1;
      this.header = h;
      this.active = true;
      return h;
    } finally {
      key.destroy();
      Arrays.fill(segmentKey, (byte) 0);
    }
  }

  /** The current segment's header, or null before the first {@code start}. */
  public SegmentHeader header() {
    return header;
  }

  /**
   * The current segment's sealed plaintext length, known at {@code start} for an object in memory;
   * {@code -1} for a stream. For a padded segment (SegmentPadding) it includes the padding box,
   * which {@link #read} strips: it is then an upper bound of the bytes read.
   *
   * @return the plaintext length in bytes, or -1
   */
  public long plaintextSize() {
    return plaintextSize;
  }

  /**
   * Reads up to {@code len} bytes of plaintext into {@code b}. Each chunk is decrypted into the
   * reader's own buffer and copied to {@code b} only after it authenticated, so a read that throws
   * leaves {@code b} exactly as it was (a failed tag never writes, nor zeroes, the caller's
   * buffer; found by SegmentOpenerFuzzTest: the former direct decryption into {@code b} zeroed
   * it on failure).
   *
   * @param b the caller's array, written during the call only
   * @param off where to write
   * @param len the most bytes to write
   * @return bytes written (at least 1 when {@code len > 0}), or -1 at the authenticated end
   * @throws dev.obscura.core.TamperedSegmentException a chunk failed authentication
   * @throws MalformedPaddingException the segment is padded (its plaintext starts with a padding
   *     box, which is stripped) but the box is malformed; nothing of the segment was released
   * @throws TruncatedSegmentException the segment was cut short
   * @throws IOException the stream failed (for a stream), or the reader was not started
   */
  public int read(byte[] b, int off, int len) throws IOException, IntegrityException {
    Objects.checkFromIndexSize(off, len, b.length);
    check();
    if (len == 0) {
      return 0;
    }
    while (ptPos == ptLen) {
      if (done) {
        if (padState == 1) {
          throw padFailure("segment " + header.segmentId() + " ends inside its padding box ("
              + padLeft + " bytes short)");
        }
        return -1;
      }
      ptLen = guarded(pt, 0);
      ptPos = 0;
      if (padState != 2) {
        strip();
      }
    }
    int n = Math.min(len, ptLen - ptPos);
    System.arraycopy(pt, ptPos, b, off, n);
    ptPos += n;
    delivered += n;
    return n;
  }

  /** Skips the padding box at the start of the plaintext (the chunk now in pt), checking it. */
  private void strip() throws MalformedPaddingException {
    if (padState == 0) {
      if (index == 1 && SegmentPadding.startsWithBox(pt, ptLen)) {
        long size = SegmentPadding.boxSize(pt);
        if (size < SegmentPadding.BOX_HEADER_BYTES) {
          throw padFailure("segment " + header.segmentId() + " has a padding box of " + size
              + " bytes, less than its " + SegmentPadding.BOX_HEADER_BYTES + "-byte header");
        }
        if (plaintextSize >= 0 && size > plaintextSize) {
          throw padFailure("segment " + header.segmentId() + " has a padding box of " + size
              + " bytes in a plaintext of " + plaintextSize);
        }
        padLeft = size - SegmentPadding.BOX_HEADER_BYTES;
        ptPos = SegmentPadding.BOX_HEADER_BYTES;
        padState = padLeft == 0 ? 2 : 1;
      } else {
        padState = 2;
      }
    }
    if (padState == 1) {
      int k = (int) Math.min(padLeft, ptLen - ptPos);
      if (!dev.obscura.core.Bytes.isZero(pt, ptPos, k)) {
        throw padFailure("segment " + header.segmentId() + " has nonzero padding bytes");
      }
      ptPos += k;
      padLeft -= k;
      if (padLeft == 0) {
        padState = 2;
      }
    }
  }

  private MalformedPaddingException padFailure(String message) {
    MalformedPaddingException e = new MalformedPaddingException(message);
    failure = e;
    Arrays.fill(pt, (byte) 0);
    ptPos = ptLen = 0;
    if (dec != null) {
      dec.destroy();
    }
    return e;
  }

  /**
   * Reads all of the current segment's remaining plaintext into {@code out} at {@code off}:
   * all-or-nothing (on any failure the region written is zeroed).
   *
   * @param out the caller's array, with room for the rest of the plaintext
   * @param off where to write
   * @return bytes written
   * @throws IllegalArgumentException if {@code out} has no room for the whole rest (object in
   *     memory), or the reader holds a stream
   * @throws dev.obscura.core.TamperedSegmentException a chunk failed authentication
   * @throws TruncatedSegmentException the segment was cut short
   */
  public int readFully(byte[] out, int off) throws IOException, IntegrityException {
    check();
    if (in != null) {
      throw new IllegalArgumentException("readFully needs a segment in memory");
    }
    long rest = plaintextSize - delivered;
    Objects.checkFromIndexSize(off, (int) rest, out.length);
    int w = 0;
    try {
      while (!(done && ptPos == ptLen)) {
        int room = (int) rest - w;
        if (room == 0) {
          // only an empty final chunk can be left: the length was checked at start
          if (guarded(pt, 0) != 0) {
            throw new IllegalStateException("segment longer than its length says");
          }
          continue;
        }
        int r = read(out, off + w, room);
        if (r < 0) {
          break; // the padding was stripped: fewer bytes than the sealed plaintext
        }
        w += r;
      }
      return w;
    } catch (IntegrityException | IOException | RuntimeException e) {
      Arrays.fill(out, off, off + w, (byte) 0);
      throw e;
    }
  }

  /**
   * Opens a whole sealed segment into a new array: the convenient decorator.
   *
   * @param sealed the whole sealed object
   * @param epochKey the key of its stream and epoch (not destroyed)
   * @return the authenticated segment (its plaintext array belongs to the caller)
   * @throws MalformedDataException bad header, unknown suite, or an object over the bound
   * @throws IntegrityException wrong key, tampered or truncated segment
   */
  public OpenedSegment openWhole(byte[] sealed, EpochKey epochKey)
      throws MalformedDataException, IntegrityException {
    start(sealed, 0, sealed.length, epochKey);
    return whole();
  }

  /**
   * As {@link #openWhole(byte[], EpochKey)} with the segment's own key.
   *
   * @param sealed the whole sealed object
   * @param segmentKey the key of exactly this segment (not destroyed)
   * @return the authenticated segment (its plaintext array belongs to the caller)
   * @throws MalformedDataException bad header, unknown suite, or an object over the bound
   * @throws IntegrityException wrong key, tampered or truncated segment
   */
  public OpenedSegment openWholeWithSegmentKey(byte[] sealed, SecretBytes segmentKey)
      throws MalformedDataException, IntegrityException {
    startWithSegmentKey(sealed, 0, sealed.length, segmentKey);
    return whole();
  }

  private OpenedSegment whole() throws MalformedDataException, IntegrityException {
    byte[] out = new byte[(int) plaintextSize];
    int n;
    try {
      n = readFully(out, 0);
    } catch (MalformedPaddingException e) {
      MalformedDataException m = new MalformedDataException(e.getMessage());
      m.initCause(e);
      throw m;
    } catch (IOException e) {
      throw new IllegalStateException(e); // an in-memory segment does no I/O
    }
    return new OpenedSegment(header, SegmentPadding.copyOf(out, n), digest());
  }

  /**
   * The current segment's chain digest, over every sealed byte.
   *
   * @return a copy of the digest
   * @throws IllegalStateException before the authenticated end of the segment
   */
  public byte[] digest() {
    if (!hasDigest) {
      throw new IllegalStateException("the chain digest is known only after the whole segment"
          + " was read");
    }
    return digest.clone();
  }

  /** Whether the current segment was read to its authenticated end. */
  public boolean isComplete() {
    return done && ptPos == ptLen;
  }

  /** Wipes the plaintext buffer and the derived key; the reader can be started again. */
  @Override
  public void close() {
    reset();
  }

  private void check() throws IOException, IntegrityException {
    if (failure != null) {
      throw failure;
    }
    if (ioFailed) {
      throw new IOException("an earlier read of the segment's stream failed");
    }
    if (!active) {
      throw new IllegalStateException("no segment started");
    }
  }

  private int guarded(byte[] dst, int dstOff) throws IOException, IntegrityException {
    try {
      return nextChunk(dst, dstOff);
    } catch (IntegrityException e) {
      failure = e;
      Arrays.fill(pt, (byte) 0);
      ptPos = ptLen = 0;
      dec.destroy();
      throw e;
    } catch (IOException e) {
      ioFailed = true; // part of a chunk may be consumed: no resynchronising
      dec.destroy();
      throw e;
    }
  }

  /** Opens the next chunk into {@code dst}; returns its plaintext length. */
  private int nextChunk(byte[] dst, int dstOff) throws IOException, IntegrityException {
    byte[] src;
    int srcOff;
    int n;
    boolean last;
    if (in == null) {
      n = Math.min(end - pos, FULL); // the length was checked at start: the last chunk is short
      src = sealed;
      srcOff = pos;
      last = n < FULL;
      pos += n;
    } else {
      n = Bytes.readFully(in, ct, 0, FULL);
      if (n == 0) {
        throw new TruncatedSegmentException(index == 0
            ? "segment " + header.segmentId() + " has no chunks"
            : "segment " + header.segmentId() + " ends after full chunk " + (index - 1)
                + " without a final chunk");
      }
      if (n < ChunkedEncryption.TAG_SIZE_BYTES) {
        throw new TruncatedSegmentException("final chunk " + index + " of segment "
            + header.segmentId() + " is shorter than its tag");
      }
      src = ct;
      srcOff = 0;
      last = n < FULL;
    }
    chain.update(src, srcOff, n);
    int p = dec.openChunk(index, src, srcOff, n, dst, dstOff);
    index++;
    if (last) {
      done = true;
      try {
        chain.digest(digest, 0, digest.length);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
      hasDigest = true;
      dec.destroy();
      sealed = null;
      in = null;
    }
    return p;
  }

  private ChunkDecryptor decryptor(SealingSuite suite) {
    if (dec == null || dec.suite() != suite.chunkedSuite()) {
      dec = new ChunkDecryptor(suite.chunkedSuite(), provider);
    }
    return dec;
  }

  private void reset() {
    if (dec != null) {
      dec.destroy();
    }
    Arrays.fill(pt, 0, Math.max(ptLen, 0), (byte) 0);
    chain.reset();
    chain.update(SegmentFormat.CHAIN_LABEL);
    sealed = null;
    in = null;
    pos = end = 0;
    index = 0;
    delivered = 0;
    ptPos = ptLen = 0;
    active = false;
    done = false;
    failure = null;
    ioFailed = false;
    hasDigest = false;
    Arrays.fill(digest, (byte) 0);
    plaintextSize = -1;
    padState = 0;
    padLeft = 0;
  }

  private SegmentHeader parse(byte[] sealed, int off, int len) throws MalformedDataException {
    Objects.requireNonNull(sealed, "sealed");
    Objects.checkFromIndexSize(off, len, sealed.length);
    if (len > maxSegmentBytes) {
      throw new MalformedDataException("sealed segment of " + len
          + " bytes exceeds the maximum of " + maxSegmentBytes);
    }
    if (off == 0) {
      return SegmentFormat.parseHeader(sealed);
    }
    try {
      return SegmentFormat.readHeader(new ByteArrayInputStream(sealed, off, len));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void checkKeyFits(EpochKey key, SegmentHeader header) throws KeyMismatchException {
    if (!key.stream().equals(header.stream()) || !key.epoch().equals(header.epoch())) {
      throw new KeyMismatchException("key of " + key.stream() + " " + key.epoch()
          + " cannot open segment " + header.segmentId() + " of " + header.epoch());
    }
  }

  @Override
  public String toString() {
    return "SegmentReader[" + (header == null ? "idle" : header.segmentId()
        + (done ? ", complete" : active ? ", reading" : "")) + "]";
  }
}
