package dev.obscura.crypto.scheme;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import dev.obscura.core.AtomicFiles;
import dev.obscura.crypto.scheme.internal.TinkStreaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts an exported clear MP4 for stock Tink: Tink's own {@code StreamingAead}
 * (AES-GCM-HKDF, parameters {@code AES256_GCM_HKDF_1MB}) under a fresh random key, with
 * <b>empty associated data</b>, and the key as a Tink JSON keyset ({@code
 * TinkJsonProtoKeysetFormat}). Anyone with the keyset decrypts the file with Tink alone:
 *
 * <pre>{@code
 * StreamingAeadConfig.register();
 * KeysetHandle h = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
 * StreamingAead a = h.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
 * try (InputStream in = a.newDecryptingStream(Files.newInputStream(file), new byte[0])) { ... }
 * }</pre>
 *
 * <p>Why 1 MB segments: an export is a file read whole on a desktop, so memory is not the bound;
 * 1 MiB segments make Tink's tag overhead negligible (16 bytes a MiB).
 *
 * <p><b>Security:</b> the file is confidential and authenticated (Tink detects a change or a
 * truncation), but it proves nothing about who recorded it: the camera's signatures stay in the
 * store. <b>The keyset file is a cleartext secret:</b> {@link #writeKeyset} creates it owner-only
 * (POSIX mode 0600 where the file system has modes) and it is never logged; this object's {@link
 * #toString()} holds no key.
 */
public final class TinkStreamingExport {
  /** The Tink parameters of the export. */
  public static final String PARAMETERS = "AES256_GCM_HKDF_1MB";

  private final KeysetHandle keyset;
  private final StreamingAead aead;

  private TinkStreamingExport(KeysetHandle keyset) throws GeneralSecurityException {
    this.keyset = keyset;
    this.aead = TinkStreaming.primitive(keyset);
  }

  /**
   * An export under a fresh random key, from Tink's own key generation.
   *
   * @return the export
   * @throws GeneralSecurityException if Tink refuses
   */
  public static TinkStreamingExport generate() throws GeneralSecurityException {
    TinkStreaming.register();
    return new TinkStreamingExport(
        KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB));
  }

  /**
   * Encrypts all of {@code clear} into {@code ciphertext} (empty associated data). Neither stream
   * is closed.
   *
   * @param clear the plaintext
   * @param ciphertext where Tink's ciphertext goes
   * @throws IOException if reading, writing or Tink fails
   */
  public void encrypt(InputStream clear, OutputStream ciphertext) throws IOException {
    Objects.requireNonNull(clear, "clear");
    Objects.requireNonNull(ciphertext, "ciphertext");
    OutputStream shield = new java.io.FilterOutputStream(ciphertext) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush(); // Tink closes its sink; the caller's stream stays open
      }
    };
    try (OutputStream enc = aead.newEncryptingStream(shield, new byte[0])) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = clear.read(buf)) != -1; ) {
        enc.write(buf, 0, n);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("Tink refused to encrypt", e);
    }
  }

  /**
   * Encrypts file {@code clear} into a new file {@code target}, atomically: on any failure no
   * file is left at {@code target} and no temporary file either.
   *
   * @param clear the plaintext file
   * @param target the ciphertext file; must not exist
   * @throws FileAlreadyExistsException if {@code target} exists (left untouched)
   * @throws IOException if reading, writing or Tink fails
   */
  public void encryptFile(Path clear, Path target) throws IOException {
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", AtomicFiles.TEMP_SUFFIX);
    try {
      try (InputStream in = Files.newInputStream(clear);
          OutputStream out = Files.newOutputStream(tmp)) {
        encrypt(in, out);
      }
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes the keyset in Tink's JSON keyset format to a new file, created owner-only (POSIX mode
   * 0600 where the file system has modes), durably and atomically.
   *
   * @param target the keyset file; must not exist
   * @throws FileAlreadyExistsException if {@code target} exists (left untouched)
   * @throws IOException if it cannot be written (no file is then left)
   */
  public void writeKeyset(Path target) throws IOException {
    byte[] json;
    try {
      json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get())
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IOException("Tink refused to serialize the export keyset", e);
    }
    try {
      AtomicFiles.writeNew(target, json, true);
    } finally {
      Arrays.fill(json, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "TinkStreamingExport[" + PARAMETERS + "]";
  }
}
