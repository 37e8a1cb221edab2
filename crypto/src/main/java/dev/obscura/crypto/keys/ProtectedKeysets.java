package dev.obscura.crypto.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import dev.obscura.core.Hex;
import java.util.List;

/**
 * Encrypted Tink keysets in text key files (format v2). Not API.
 *
 * <pre>
 * HEADER                           e.g. "obscura-viewer-identity v2"
 * # comment lines
 * protection argon2id m=M t=T p=P salt=BASE64(16 bytes)
 *   or
 * protection platform-key id=HEX(8 bytes)
 * {Tink JSON encrypted keyset (TinkJsonProtoKeysetFormat.serializeEncryptedKeyset)}
 * </pre>
 *
 * The keyset encryption key is Argon2id(UTF-8 passphrase, salt, ad = "obscura/v2 key file",
 * 32 bytes), with costs at least the reader's floor ({@link Argon2idParams.Floor}), or the 32-byte
 * platform key; the AEAD is AES-256-GCM (Tink's AesGcmJce) with
 * associated data = UTF-8(HEADER || "\n" || protection line), so the file's kind and
 * parameters cannot be swapped.
 */
final class ProtectedKeysets {
  private static final byte[] ARGON_AD = "obscura/v2 key file".getBytes(StandardCharsets.US_ASCII);
  private static final String PROTECTION = "protection ";

  private ProtectedKeysets() {}

  /** The file text for {@code handle} under {@code protection}. */
  static String seal(String header, List<String> comments, KeysetHandle handle, KeyProtection protection)
      throws IOException, KeyFileException {
    String line;
    byte[] key;
    if (protection.hasPassphrase()) {
      byte[] salt = new byte[Argon2idParams.SALT_BYTES];
      protection.entropy().nextBytes(salt);
      line = PROTECTION + "argon2id " + protection.params().toText() + " salt="
          + Base64.getEncoder().encodeToString(salt);
      byte[] pass = protection.passphraseBytes();
      try {
        key = protection.params().derive(pass, salt, ARGON_AD, 32);
      } finally {
        Arrays.fill(pass, (byte) 0);
      }
    } else {
      key = protection.platformKey(true);
      line = PROTECTION + "platform-key id=" + platformKeyId(key);
    }
    try {
      Aead aead = new AesGcmJce(key);
      String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(
          handle, aead, ad(header, line), RegistryConfiguration.get());
      StringBuilder sb = new StringBuilder(header).append('\n');
      for (String c : comments) {
        sb.append("# ").append(c).append('\n');
      }
      return sb.append(line).append('\n').append(json).append('\n').toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt the keyset", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Decrypts the keyset in {@code text} (whose first line is {@code header}).
   *
   * @throws WrongPassphraseException if it does not decrypt under the passphrase or platform key
   *     given, or needs a passphrase and none was given
   */
  static KeysetHandle open(Path path, String text, String header, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    String[] lines = text.split("\r?\n", -1);
    String line = null;
    StringBuilder json = new StringBuilder();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("#")) {
        continue;
      }
      if (line == null) {
        line = lines[i];
        if (!line.startsWith(PROTECTION)) {
          throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "no protection line");
        }
      } else {
        json.append(lines[i]).append('\n');
      }
    }
    if (line == null) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "no protection line");
    }
    String[] f = line.split(" ");
    byte[] key;
    if (f.length == 6 && f[1].equals("argon2id")) {
      Argon2idParams params;
      byte[] salt;
      try {
        params = Argon2idParams.of(num(f[2], "m="), num(f[3], "t="), num(f[4], "p="));
        if (!f[5].startsWith("salt=")) {
          throw new IllegalArgumentException();
        }
        salt = Base64.getDecoder().decode(f[5].substring(5));
        if (salt.length < 8 || salt.length > 64) {
          throw new IllegalArgumentException();
        }
      } catch (IllegalArgumentException e) {
        throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "bad argon2id protection line");
      }
      String weak = protection.argon2idFloor().problem(params);
      if (weak != null) {
        // before any derivation: the file cannot choose to make its passphrase cheap to guess
        throw new KeyFileException(KeyFileException.Reason.MALFORMED, path,
            "refused protection line: " + weak);
      }
      if (!protection.hasPassphrase()) {
        throw new WrongPassphraseException(
            path + " is protected by a passphrase, and none was given (" + KeyProtection.PASSPHRASE_ENV
                + " or a passphrase file)");
      }
      byte[] pass = protection.passphraseBytes();
      try {
        key = params.derive(pass, salt, ARGON_AD, 32);
      } finally {
        Arrays.fill(pass, (byte) 0);
      }
    } else if (f.length == 3 && f[1].equals("platform-key") && f[2].startsWith("id=")) {
      if (protection.platformKeyFile() == null) {
        throw new WrongPassphraseException(path + " is protected by a platform key, and none was given");
      }
      key = protection.platformKey(false);
      if (!platformKeyId(key).equals(f[2].substring(3))) {
        Arrays.fill(key, (byte) 0);
        throw new WrongPassphraseException(
            path + " is protected by another platform key than " + protection.platformKeyFile());
      }
    } else {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "unknown protection");
    }
    try {
      Aead aead = new AesGcmJce(key);
      return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
          json.toString(), aead, ad(header, line), RegistryConfiguration.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // Tink reports a wrong key and a damaged file alike; the cause is dropped (it may quote input).
      throw new WrongPassphraseException(
          path + " does not decrypt: wrong passphrase or platform key, or the file is damaged");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static int num(String field, String prefix) {
    if (!field.startsWith(prefix) || field.length() > prefix.length() + 9) {
      throw new IllegalArgumentException();
    }
    return Integer.parseInt(field.substring(prefix.length()));
  }

  private static byte[] ad(String header, String line) {
    return (header + "\n" + line).getBytes(StandardCharsets.UTF_8);
  }

  /** First 8 bytes of SHA-256("obscura/v1 platform-key id" || key), hex. */
  static String platformKeyId(byte[] key) {
    var md = HpkeX25519.sha256();
    md.update("obscura/v1 platform-key id".getBytes(StandardCharsets.US_ASCII));
    return Hex.format(md.digest(key), 0, 8);
  }
}
