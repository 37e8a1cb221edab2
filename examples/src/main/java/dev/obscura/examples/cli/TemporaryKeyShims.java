package dev.obscura.examples.cli;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * <b>TEMPORARY shims, to be replaced when the device-identity and roster branch
 * ({@code issue3-roster}) is merged.</b> Until then, viewer key files hold no Ed25519 key and
 * there is no camera identity or signed roster, so the share, verify-share and audit commands
 * get their signing keys and trust anchors from here:
 *
 * <ul>
 *   <li>{@link #ownerSigningKey}: the owner's Ed25519 key lives in a side file {@code
 *       KEYFILE.ed25519} (mode 0600) next to the viewer identity, created on first use. After the
 *       merge: {@code ViewerIdentity.readFrom(...).signingKey().orElseThrow()}.
 *   <li>{@link #newCameraKey}: {@code record} signs the chain with a fresh camera key per run
 *       and publishes its verifying key in the store ({@code STREAM/cameras/KEYID.pub}). After
 *       the merge: the camera identity of {@code record --camera}.
 *   <li>{@link #publishedCameraKeys} and {@link #publishedKeys}: trust on first use of keys found
 *       in the store. <b>The store is not trusted</b>, so this only shows the mechanism; after
 *       the merge the camera key and the audit log's signers come from the verified roster.
 * </ul>
 */
final class TemporaryKeyShims {
  private static final String OWNER_FILE_HEADER = "obscura-temporary-owner-signing-key v1";
  static final String KEYS_PREFIX = "keys/";

  /** Test hook: sees each camera key made by {@link #newCameraKey} (the key-hygiene test). */
  static volatile Consumer<SigningKey> cameraKeyObserver;

  private TemporaryKeyShims() {}

  /** The owner's signing key from {@code identityFile + ".ed25519"}, created if missing. */
  static SigningKey ownerSigningKey(Path identityFile) throws IOException, MalformedDataException {
    Path side = identityFile.resolveSibling(identityFile.getFileName() + ".ed25519");
    if (!Files.exists(side)) {
      SigningKey k = SigningKey.generate(EntropySource.system());
      byte[] seed = k.seed().toByteArray(InsecureSecretAccess.get());
      String text = OWNER_FILE_HEADER + "\n# TEMPORARY owner signing key (until device identities"
          + " carry one). Keep secret.\n" + Base64.getEncoder().encodeToString(seed) + "\n";
      Arrays.fill(seed, (byte) 0);
      FileAttribute<?>[] attrs = side.getFileSystem().supportedFileAttributeViews().contains("posix")
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rw-------"))}
          : new FileAttribute<?>[0];
      try (FileChannel ch = FileChannel.open(side, java.util.Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), attrs)) {
        OutputStream out = Channels.newOutputStream(ch);
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ch.force(true);
      }
      return k;
    }
    byte[] bytes = Files.readAllBytes(side);
    try {
      String[] lines = new String(bytes, StandardCharsets.US_ASCII).split("\n");
      if (lines.length < 3 || !lines[0].equals(OWNER_FILE_HEADER)) {
        throw new MalformedDataException(side + ": not an owner signing key file");
      }
      byte[] seed;
      try {
        seed = Base64.getDecoder().decode(lines[2].trim());
      } catch (IllegalArgumentException e) {
        throw new MalformedDataException(side + ": not an owner signing key file");
      }
      if (seed.length != SigningKey.SEED_LENGTH) {
        throw new MalformedDataException(side + ": not an owner signing key file");
      }
      SigningKey k = SigningKey.fromSeed(SecretBytes.copyFrom(seed, InsecureSecretAccess.get()));
      Arrays.fill(seed, (byte) 0);
      return k;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** A fresh camera key for one recording; its verifying key is published in the store. */
  static SigningKey newCameraKey(SegmentStore store, StreamId stream) throws IOException {
    SigningKey k = SigningKey.generate(EntropySource.system());
    store.put(stream + "/cameras/" + k.verifyingKey().keyIdHex() + ".pub", k.verifyingKey().rawBytes());
    Consumer<SigningKey> o = cameraKeyObserver;
    if (o != null) {
      o.accept(k);
    }
    return k;
  }

  /** The camera keys published for {@code stream}. */
  static List<VerifyingKey> publishedCameraKeys(SegmentStore store, StreamId stream)
      throws IOException, MalformedDataException {
    return readKeys(store, stream + "/cameras/");
  }

  /** Publishes a key the audit command trusts (the owner's, when it shares). */
  static void publishKey(SegmentStore store, VerifyingKey key) throws IOException {
    store.put(KEYS_PREFIX + "ed25519-" + key.keyIdHex() + ".pub", key.rawBytes());
  }

  /** Every key published in the store: owners' keys and all streams' camera keys. */
  static List<VerifyingKey> publishedKeys(SegmentStore store) throws IOException, MalformedDataException {
    List<VerifyingKey> out = new ArrayList<>(readKeys(store, KEYS_PREFIX));
    for (StoredObject o : store.list("")) {
      if (o.name().matches("[^/]+/cameras/[0-9a-f]{32}\\.pub")) {
        out.add(readKey(store, o.name()));
      }
    }
    return out;
  }

  private static List<VerifyingKey> readKeys(SegmentStore store, String prefix)
      throws IOException, MalformedDataException {
    List<VerifyingKey> out = new ArrayList<>();
    for (StoredObject o : store.list(prefix)) {
      if (o.name().endsWith(".pub")) {
        out.add(readKey(store, o.name()));
      }
    }
    return out;
  }

  private static VerifyingKey readKey(SegmentStore store, String name)
      throws IOException, MalformedDataException {
    byte[] raw = store.readAll(name, VerifyingKey.LENGTH);
    if (raw.length != VerifyingKey.LENGTH) {
      throw new MalformedDataException("published key " + name + " is not 32 bytes");
    }
    return VerifyingKey.fromRawBytes(raw);
  }
}
