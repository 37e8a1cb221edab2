package dev.obscura.crypto.camera;

import java.util.stream.Collectors;
import java.util.Collections;
import dev.obscura.core.Hex;
import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.KeyFileException;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterGuard;
import java.io.IOException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.trust.PairingCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The camera's own state, kept in a folder of its own and never in the store:
 *
 * <pre>
 * camera.key     its Ed25519 identity, encrypted ({@link CameraIdentity}, {@link KeyProtection})
 * camera.pub     the public half, for owners to pin in the roster
 * roster.pinned  the last roster it accepted (its canonical encoding)
 * pairing.secret while unpaired: the single-use pairing secret of the code it printed (mode 0600)
 * epochs         "STREAM NEXT-EPOCH" lines: epoch numbers are never reused, even if the store forgets
 * chain-STREAM   the camera's own chain head of a stream ({@link ChainHead}): next sequence, last
 *                digest, the sequence in flight, the digests not yet covered by a signed manifest
 * </pre>
 *
 * <p><b>Chain head:</b> the camera continues a stream from its own head, never from the store's
 * listing: a store that dropped segments cannot make it reuse their numbers or overwrite the
 * manifest that listed them.
 *
 * <p><b>Pairing:</b> {@link #newPairingCode} makes a fresh secret and the code to show; the first
 * roster the camera accepts must carry a pairing record made with it, and pinning that roster
 * deletes the secret, so a code pairs once. A folder without {@code roster.pinned} (reset, or
 * never paired) refuses to record until it is paired again with a new code.
 *
 * <p><b>Security guarantees:</b> no epoch key is ever written here (or anywhere): an epoch key
 * lives only in the recorder's memory and is destroyed when its epoch ends, so a copy of this
 * folder (and of the platform key or passphrase that unlocks {@code camera.key}) taken after
 * epoch N ended decrypts no segment of epochs up to N. A restarted camera starts a new epoch.
 * Files are replaced atomically (write, fsync, rename).
 */
public final class CameraState implements RosterGuard.Pin {
  private final Path dir;
  private final CameraIdentity identity;
  private final boolean created;
  private final TreeMap<String, Long> nextEpochs = new TreeMap<>();

  private CameraState(Path dir, CameraIdentity identity, boolean created) {
    this.dir = dir;
    this.identity = identity;
    this.created = created;
  }

  /**
   * Opens the camera folder, creating it and a new camera identity on first use.
   *
   * @throws WrongPassphraseException if {@code camera.key} does not decrypt under {@code protection}
   */
  public static CameraState open(Path dir, KeyProtection protection, EntropySource entropy)
      throws IOException, KeyFileException, WrongPassphraseException {
    Objects.requireNonNull(protection, "protection");
    Files.createDirectories(dir);
    Path key = dir.resolve("camera.key");
    boolean created = false;
    CameraIdentity id;
    if (Files.exists(key)) {
      id = CameraIdentity.readFrom(key, protection);
    } else {
      id = CameraIdentity.generate(entropy);
      id.writeTo(key, protection);
      created = true;
    }
    Path pub = dir.resolve("camera.pub");
    if (!Files.exists(pub)) {
      CameraIdentity.writePublicKey(id.publicKey(), pub);
    }
    CameraState s = new CameraState(dir, id, created);
    s.readEpochs();
    return s;
  }

  public CameraIdentity identity() {
    return identity;
  }

  /** Whether {@link #open} created the identity just now. */
  public boolean created() {
    return created;
  }

  public Path dir() {
    return dir;
  }

  /** The camera's public key file. */
  public Path publicKeyFile() {
    return dir.resolve("camera.pub");
  }

  @Override
  public Optional<byte[]> load() throws IOException {
    try {
      return Optional.of(Files.readAllBytes(dir.resolve("roster.pinned")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void save(Roster roster) throws IOException {
    writeAtomically("roster.pinned", roster.encoded());
    Files.deleteIfExists(dir.resolve(PAIRING_FILE));
    dev.obscura.core.AtomicFiles.syncDirectory(dir);
  }

  private static final String PAIRING_FILE = "pairing.secret";
  private static final String PAIRING_HEADER = "obscura-camera-pairing v1";

  @Override
  public Optional<PairingCode> pairing() throws IOException {
    Path f = dir.resolve(PAIRING_FILE);
    String text;
    try {
      if (Files.size(f) > 4096) {
        throw new IOException(f + " is damaged (too large)");
      }
      text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    for (String line : text.split("\n")) {
      if (line.startsWith("secret ")) {
        byte[] raw;
        try {
          raw = java.util.Base64.getDecoder().decode(line.substring(7).trim());
        } catch (IllegalArgumentException e) {
          raw = new byte[0];
        }
        try {
          if (!text.startsWith(PAIRING_HEADER) || raw.length != PairingCode.SECRET_BYTES) {
            throw new IOException(f + " is damaged: run camera init again for a new pairing code");
          }
          return Optional.of(PairingCode.of(identity.publicKey(), SecretBytes.copyFrom(raw, InsecureSecretAccess.get())));
        } finally {
          java.util.Arrays.fill(raw, (byte) 0);
        }
      }
    }
    throw new IOException(f + " is damaged: run camera init again for a new pairing code");
  }

  /**
   * Makes a fresh pairing secret (replacing any earlier one) and returns the code to show. The
   * camera must not be paired already ({@link #forgetRoster()} first to pair it again).
   *
   * @throws IllegalStateException if a roster is pinned
   */
  public PairingCode newPairingCode(EntropySource entropy) throws IOException {
    if (load().isPresent()) {
      throw new IllegalStateException("the camera is paired already (it has a pinned roster)");
    }
    PairingCode code = PairingCode.generate(identity.publicKey(), entropy);
    byte[] raw = code.secret().toByteArray(InsecureSecretAccess.get());
    try {
      String text = PAIRING_HEADER + "\n# single-use pairing secret of the code this camera printed; deleted once paired\n"
          + "secret " + java.util.Base64.getEncoder().encodeToString(raw) + "\n";
      writeAtomically(PAIRING_FILE, text.getBytes(StandardCharsets.UTF_8));
      ownerOnly(dir.resolve(PAIRING_FILE));
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
    return code;
  }

  /** Forgets the pinned roster (a reset): the camera then records nothing until paired again. */
  public void forgetRoster() throws IOException {
    Files.deleteIfExists(dir.resolve("roster.pinned"));
    dev.obscura.core.AtomicFiles.syncDirectory(dir);
  }

  private static void ownerOnly(Path f) throws IOException {
    try {
      Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the folder's own permissions apply
    }
  }

  /** The pinned roster, if any. */
  public Optional<Roster> pinnedRoster() throws IOException {
    Optional<byte[]> b = load();
    if (!b.isPresent()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Roster.parse(b.get()));
    } catch (dev.obscura.core.MalformedDataException e) {
      throw new IOException("the pinned roster is damaged: " + e.getMessage());
    }
  }

  /**
   * The camera's own head of one stream's chain.
   *
   * @param nextSequence the sequence the next segment gets
   * @param lastDigest the chain digest of segment {@code nextSequence - 1} (zeros for none)
   * @param inFlight a sequence being committed when the head was written, or -1: after a crash
   *     the store may or may not hold it
   * @param pendingFirst the first sequence not yet covered by a signed manifest
   * @param pending the digests of segments {@code pendingFirst..nextSequence-1}, in order
   */
  public record ChainHead(long nextSequence, byte[] lastDigest, long inFlight, long pendingFirst,
      java.util.List<byte[]> pending) {
    public ChainHead {
      if (nextSequence < 0 || lastDigest.length != 32 || inFlight < -1) {
        throw new IllegalArgumentException("invalid chain head");
      }
      lastDigest = lastDigest.clone();
      pending = Collections.unmodifiableList(pending.stream().map(byte[]::clone).collect(Collectors.toList()));
      if (pending.size() > dev.obscura.crypto.chain.ChainManifest.MAX_DIGESTS
          || (!pending.isEmpty() && pendingFirst + pending.size() != nextSequence)) {
        throw new IllegalArgumentException("chain head pending digests do not end at the next sequence");
      }
    }

    @Override
    public byte[] lastDigest() {
      return lastDigest.clone();
    }

    /** A head with nothing sealed yet. */
    public static ChainHead empty() {
      return new ChainHead(0, new byte[32], -1, 0, java.util.List.of());
    }
  }

  private Path chainFile(StreamId stream) {
    return dir.resolve("chain-" + stream);
  }

  /**
   * The camera's own head of {@code stream}, if it ever sealed a segment of it.
   *
   * @throws IOException if the file is damaged (never silently reset: that would reuse numbers)
   */
  public synchronized Optional<ChainHead> chainHead(StreamId stream) throws IOException {
    Path f = chainFile(stream);
    String text;
    try {
      if (Files.size(f) > 8L << 20) {
        throw new IOException(f + " is damaged (too large)");
      }
      text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      String[] lines = text.split("\n");
      if (!lines[0].equals(CHAIN_HEADER)) {
        throw new IllegalArgumentException("header");
      }
      java.util.Map<String, String[]> fields = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        if (!lines[i].trim().isEmpty() && !lines[i].startsWith("#")) {
          String[] w = lines[i].trim().split(" ");
          fields.put(w[0], w);
        }
      }
      long next = Long.parseLong(fields.get("next")[1]);
      byte[] digest = Hex.parse(fields.get("digest")[1]);
      String inflight = fields.get("inflight")[1];
      String[] p = fields.get("pending");
      java.util.List<byte[]> pending = new java.util.ArrayList<>();
      for (int i = 2; i < p.length; i++) {
        pending.add(Hex.parse(p[i]));
      }
      return Optional.of(new ChainHead(next, digest, inflight.equals("-") ? -1 : Long.parseLong(inflight),
          Long.parseLong(p[1]), pending));
    } catch (RuntimeException e) {
      throw new IOException(f + " is damaged: the camera will not guess its chain head (sequence numbers"
          + " would repeat); restore the file or record to another stream");
    }
  }

  /** Replaces the head of {@code stream}, durably (before the segment it names is acknowledged). */
  public synchronized void saveChainHead(StreamId stream, ChainHead head) throws IOException {
    StringBuilder sb = new StringBuilder(CHAIN_HEADER).append('\n')
        .append("# the camera's own chain head of ").append(stream).append(": never edit by hand\n")
        .append("next ").append(head.nextSequence()).append('\n')
        .append("digest ").append(Hex.format(head.lastDigest())).append('\n')
        .append("inflight ").append(head.inFlight() < 0 ? "-" : String.valueOf(head.inFlight())).append('\n')
        .append("pending ").append(head.pendingFirst());
    for (byte[] d : head.pending()) {
      sb.append(' ').append(Hex.format(d));
    }
    sb.append('\n');
    writeAtomically("chain-" + stream, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static final String CHAIN_HEADER = "obscura-camera-chain v1";

  /**
   * The first epoch number of {@code stream} this camera has not used.
   *
   * @throws dev.obscura.core.CounterExhaustedException if the camera used the last epoch number
   *     ({@link dev.obscura.core.EpochId#MAX_VALUE}) of the stream: it never wraps
   */
  public synchronized long nextEpoch(StreamId stream) {
    long next = nextEpochs.getOrDefault(stream.toString(), 0L);
    if (next > dev.obscura.core.EpochId.MAX_VALUE) {
      throw new dev.obscura.core.CounterExhaustedException(dev.obscura.core.CounterExhaustedException.Counter.EPOCH,
          "stream " + stream + " has used its last epoch number (2^62): record to another stream");
    }
    return next;
  }

  /** Records, durably, that {@code epoch} of {@code stream} is used. */
  public synchronized void useEpoch(StreamId stream, long epoch) throws IOException {
    nextEpochs.merge(stream.toString(), epoch + 1, Math::max);
    StringBuilder sb = new StringBuilder("# obscura camera epoch counters: STREAM NEXT-EPOCH\n");
    nextEpochs.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    writeAtomically("epochs", sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void readEpochs() throws IOException {
    Path f = dir.resolve("epochs");
    if (!Files.exists(f)) {
      return;
    }
    if (Files.size(f) > 1L << 20) {
      throw new IOException(f + ": damaged epoch counters (too large)");
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (line.trim().isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] p = line.trim().split(" ");
      try {
        long next = Long.parseLong(p[1]);
        // MAX_VALUE + 1: the last epoch was used (nextEpoch refuses it, never wraps)
        if (next < 0 || next > dev.obscura.core.EpochId.MAX_VALUE + 1) {
          throw new IllegalArgumentException("out of range");
        }
        nextEpochs.put(StreamId.of(p[0]).toString(), next);
      } catch (RuntimeException e) {
        throw new IOException(f + ": damaged epoch counter line");
      }
    }
  }

  private void writeAtomically(String name, byte[] data) throws IOException {
    dev.obscura.core.AtomicFiles.write(dir.resolve(name), data);
  }

  @Override
  public String toString() {
    return "CameraState[" + dir + ", camera " + identity.fingerprint() + "]";
  }
}
