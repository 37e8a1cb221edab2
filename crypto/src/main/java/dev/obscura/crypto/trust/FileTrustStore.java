package dev.obscura.crypto.trust;

import dev.obscura.crypto.internal.Sha256;
import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.core.AtomicFiles;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import dev.obscura.core.Hex;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link TrustStore} in one text file, by convention beside the device's key file: {@code
 * viewer.key} keeps its pins in {@code viewer.trust} ({@link #besideKeyFile}). Public data only
 * (versions, digests, public keys); replaced atomically and durably on every change.
 *
 * <pre>
 * obscura-trust v1
 * # what this device verified of each store; a store that shows less is refused
 * store SHA256(storeId)[0..16] hex  roster VERSION DIGEST-HEX|-  camera BASE64|-  audit SEQ HASH-HEX|- -
 * </pre>
 *
 * <p><b>Restrictions:</b> one process per file at a time (the last writer wins).
 */
public final class FileTrustStore implements TrustStore {
  static final String HEADER = "obscura-trust v1";
  /** The largest trust file read. */
  static final long MAX_BYTES = 1 << 20;

  private final Path file;

  public FileTrustStore(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The trust file of the identity in {@code keyFile}: the same name with {@code .trust}. */
  public static FileTrustStore besideKeyFile(Path keyFile) {
    String name = keyFile.getFileName().toString();
    String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
    Path dir = keyFile.toAbsolutePath().getParent();
    return new FileTrustStore(dir.resolve(base + ".trust"));
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized Optional<StorePin> load(String storeId) throws IOException {
    return Optional.ofNullable(readAll().get(key(storeId)));
  }

  @Override
  public synchronized void save(String storeId, StorePin pin) throws IOException {
    Map<String, StorePin> all = readAll();
    all.put(key(storeId), Objects.requireNonNull(pin, "pin"));
    StringBuilder sb = new StringBuilder(HEADER).append('\n')
        .append("# what this device verified of each store; a store that shows less is refused\n");
    for (Map.Entry<String, StorePin> e : all.entrySet()) {
      StorePin p = e.getValue();
      sb.append("store ").append(e.getKey())
          .append(" roster ").append(p.roster() == null ? "0 -" : p.roster().version() + " " + Hex.format(p.roster().digest()))
          .append(" camera ").append(p.camera() == null ? "-" : p.camera().toBase64())
          .append(" audit ").append(p.audit() == null ? "- -" : p.audit().sequence() + " " + Hex.format(p.audit().hash()))
          .append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String key(String storeId) {
    return Hex.format(Sha256.digest(storeId.getBytes(StandardCharsets.UTF_8)), 0, 16);
  }

  private Map<String, StorePin> readAll() throws IOException {
    TreeMap<String, StorePin> out = new TreeMap<>();
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException(file + " is too large to be a trust file");
      }
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return out;
    }
    String[] lines = text.split("\n");
    if (lines.length == 0 || !lines[0].equals(HEADER)) {
      throw new IOException(file + " is not an Obscura trust file (" + HEADER + ")");
    }
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(" ");
      try {
        if (f.length != 10 || !f[0].equals("store") || !f[2].equals("roster") || !f[5].equals("camera")
            || !f[7].equals("audit") || !f[1].matches("[0-9a-f]{32}")) {
          throw new IllegalArgumentException("bad fields");
        }
        RosterRef roster = f[4].equals("-") ? null : new RosterRef(Long.parseLong(f[3]), Hex.parse(f[4]));
        VerifyingKey camera = f[6].equals("-") ? null : VerifyingKey.fromRawBytes(Base64.getDecoder().decode(f[6]));
        AuditHead audit = f[8].equals("-") ? null : new AuditHead(Long.parseLong(f[8]), Hex.parse(f[9]));
        out.put(f[1], new StorePin(roster, camera, audit));
      } catch (RuntimeException e) {
        throw new IOException(file + " line " + (i + 1) + " is damaged: a trust file is written by Obscura only");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "FileTrustStore[" + file + "]";
  }
}
