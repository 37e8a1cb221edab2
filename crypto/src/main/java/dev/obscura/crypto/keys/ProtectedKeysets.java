package dev.obscura.crypto.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Tink keysets protected by a {@link KeyProtection}, in text key files. Not API.
 *
 * <p>Format v3 (written):
 *
 * <pre>
 * HEADER                      e.g. "obscura-viewer-identity v3"
 * # comment lines
 * protection SCHEME           the KeyProtection's scheme, e.g. argon2id, platform-key, android-keystore
 * BASE64(wrapped)             KeyProtection.wrap(Tink binary keyset, ad)
 * </pre>
 *
 * with ad = UTF-8("obscura/v3 key file" LF HEADER LF "protection " SCHEME), so the kind of file
 * and its scheme cannot be swapped. Format v2 (read only; section 9 of the devices spec): the
 * protection line carries Argon2id costs and salt or a platform key id, and the keyset is Tink's
 * encrypted JSON under AES-256-GCM.
 */
final class ProtectedKeysets {
  private static final String PROTECTION = "protection ";

  private ProtectedKeysets() {}

  /** The v3 file text for {@code handle} under {@code protection}. */
  static String seal(String header, List<String> comments, KeysetHandle handle, KeyProtection protection)
      throws IOException {
    String scheme = KeyProtection.checkScheme(protection.scheme());
    String line = PROTECTION + scheme;
    byte[] plain;
    try {
      plain = TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot serialize the keyset", e);
    }
    byte[] wrapped;
    try {
      wrapped = protection.wrap(plain, ad(header, line));
    } catch (GeneralSecurityException e) {
      // no cause: a keystore's message is not ours to vouch for
      throw new IOException("the " + scheme + " key protection cannot wrap the key ("
          + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (String c : comments) {
      sb.append("# ").append(c).append('\n');
    }
    return sb.append(line).append('\n').append(Base64.getEncoder().encodeToString(wrapped)).append('\n').toString();
  }

  /**
   * Opens the keyset in {@code text}, whose first line is {@code header} (a v3 or v2 header).
   *
   * @param path the file, for messages (null for bytes and streams)
   * @throws KeyFileException if the file is malformed, or names protection parameters the
   *     protection refuses (Argon2id costs below the floor)
   * @throws WrongPassphraseException if {@code protection} has no member for the file's scheme,
   *     or it does not unwrap (wrong passphrase or key, or a damaged file)
   */
  static KeysetHandle open(Path path, String text, String header, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
    String[] lines = text.split("\r?\n", -1);
    String line = null;
    StringBuilder rest = new StringBuilder();
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
        rest.append(lines[i]).append('\n');
      }
    }
    if (line == null) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "no protection line");
    }
    if (header.endsWith(" v2")) {
      return openV2(path, line, rest.toString(), header, protection);
    }
    String[] f = line.split(" ", -1);
    if (f.length != 2) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "bad protection line");
    }
    String scheme = f[1];
    try {
      KeyProtection.checkScheme(scheme);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "bad protection scheme");
    }
    byte[] wrapped;
    try {
      wrapped = Base64.getDecoder().decode(rest.toString().trim());
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "the wrapped key is not base64");
    }
    KeyProtection p = member(path, protection, scheme);
    byte[] plain;
    try {
      plain = p.unwrap(wrapped, ad(header, line));
    } catch (RefusedProtectionException e) {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "refused protection: " + e.getMessage());
    } catch (GeneralSecurityException | RuntimeException e) {
      // the cause is dropped: a protection reports a wrong key and a damaged file alike
      throw new WrongPassphraseException(name(path) + " does not unwrap with the " + scheme
          + " protection given: wrong passphrase or key, or the file is damaged");
    }
    try {
      return TinkProtoKeysetFormat.parseKeyset(plain, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // parser messages may quote the (secret) input
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "the unwrapped keyset does not parse");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static KeyProtection member(Path path, KeyProtection protection, String scheme)
      throws WrongPassphraseException {
    Optional<KeyProtection> p = protection.forScheme(scheme);
    if (!p.isPresent()) {
      throw new WrongPassphraseException(name(path) + " is protected by " + scheme
          + ", and the key protection given has no " + scheme);
    }
    return p.get();
  }

  /** Format v2: "protection argon2id m= t= p= salt=" or "protection platform-key id=". */
  private static KeysetHandle openV2(Path path, String line, String json, String header, KeyProtection protection)
      throws IOException, KeyFileException, WrongPassphraseException {
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
      Optional<KeyProtection> m = protection.forScheme(PassphraseProtection.SCHEME);
      if (!(m.isPresent() && m.get() instanceof PassphraseProtection)) {
        throw new WrongPassphraseException(name(path) + " is protected by a passphrase, and none was given");
      }
      PassphraseProtection pass = (PassphraseProtection) m.get();
      try {
        // before any derivation: the file cannot choose to make its passphrase cheap to guess
        pass.checkFloor(params);
      } catch (RefusedProtectionException e) {
        throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "refused protection line: " + e.getMessage());
      }
      key = pass.derive(params, salt, PassphraseProtection.ARGON_AD_V2);
    } else if (f.length == 3 && f[1].equals("platform-key") && f[2].startsWith("id=")) {
      Optional<KeyProtection> m = protection.forScheme(PlatformKeyFile.SCHEME);
      if (!(m.isPresent() && m.get() instanceof PlatformKeyFile)) {
        throw new WrongPassphraseException(name(path) + " is protected by a platform key, and none was given");
      }
      PlatformKeyFile platform = (PlatformKeyFile) m.get();
      key = platform.readKey(false);
      if (!PlatformKeyFile.legacyId(key).equals(f[2].substring(3))) {
        Arrays.fill(key, (byte) 0);
        throw new WrongPassphraseException(name(path) + " is protected by another platform key than " + platform.file());
      }
    } else {
      throw new KeyFileException(KeyFileException.Reason.MALFORMED, path, "unknown protection");
    }
    try {
      return TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
          json, new AesGcmJce(key), (header + "\n" + line).getBytes(StandardCharsets.UTF_8),
          RegistryConfiguration.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      // Tink reports a wrong key and a damaged file alike; the cause is dropped (it may quote input).
      throw new WrongPassphraseException(
          name(path) + " does not decrypt: wrong passphrase or platform key, or the file is damaged");
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

  private static String name(Path path) {
    return path == null ? "the key file" : path.toString();
  }

  /** The associated data of a v3 file: what is protected and by which scheme. */
  static byte[] ad(String header, String line) {
    return ("obscura/v3 key file\n" + header + "\n" + line).getBytes(StandardCharsets.UTF_8);
  }
}
