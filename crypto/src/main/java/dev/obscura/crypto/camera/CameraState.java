package dev.obscura.crypto.camera;

import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.CameraIdentity;
import dev.obscura.crypto.keys.KeyFileException;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterGuard;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * epochs         "STREAM NEXT-EPOCH" lines: epoch numbers are never reused, even if the store forgets
 * </pre>
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
  }

  /** The pinned roster, if any. */
  public Optional<Roster> pinnedRoster() throws IOException {
    Optional<byte[]> b = load();
    if (b.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Roster.parse(b.get()));
    } catch (dev.obscura.core.MalformedDataException e) {
      throw new IOException("the pinned roster is damaged: " + e.getMessage());
    }
  }

  /** The first epoch number of {@code stream} this camera has not used. */
  public synchronized long nextEpoch(StreamId stream) {
    return nextEpochs.getOrDefault(stream.toString(), 0L);
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
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] p = line.trim().split(" ");
      try {
        nextEpochs.put(StreamId.of(p[0]).toString(), Long.parseLong(p[1]));
      } catch (RuntimeException e) {
        throw new IOException(f + ": damaged epoch counter line");
      }
    }
  }

  private void writeAtomically(String name, byte[] data) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(data));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String toString() {
    return "CameraState[" + dir + ", " + identity + "]";
  }
}
