package dev.obscura.transport.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The secret scan of the tests: searches text (a {@code toString()}, an exception message, logs,
 * command output) for every {@value #WINDOW}-byte window of every secret it holds, as hex (any
 * case), as base64 or base64url at any of the three byte alignments a window can have inside a
 * longer encoded blob, as {@link Arrays#toString(byte[])} prints it, and as ISO-8859-1
 * characters; a secret that is text (a passphrase, a token) is also searched for whole, as it is. A
 * partial key is a leak too, and a whole key, in any of these encodings, contains its windows.
 * One copy for every module's tests (in transport's test-jar, the lowest one published):
 * {@link #assertNoLeak} for one text and a few secrets, an instance for many keys over much text.
 */
public final class SecretScan {
  /** The length of the key windows searched for. */
  public static final int WINDOW = 8;
  /** Length of a window as hex. */
  static final int HEX_CHARS = 2 * WINDOW;
  /**
   * Characters of base64 a window fixes at every alignment: a window starting at byte offset a
   * (mod 3) of an encoded stream fixes characters ceil(8a/6) to floor((8a + 64)/6) - 1, ten at
   * each of a = 0, 1, 2.
   */
  static final int BASE64_CHARS = 10;

  private final Map<String, byte[]> keys = new LinkedHashMap<>();
  /** Lower-case hex window to the key it is of. */
  private final Map<String, String> hex = new HashMap<>();
  /** Base64 and base64url window characters to the key they are of. */
  private final Map<String, String> base64 = new HashMap<>();
  /** Strings searched for as they are (text secrets, decimal and ISO-8859-1 windows), to their key. */
  private final Map<String, String> texts = new LinkedHashMap<>();

  /**
   * Fails with an {@link AssertionError} naming the first leak if {@code text} shows any window
   * of any of {@code secrets}.
   */
  public static void assertNoLeak(String text, byte[]... secrets) {
    SecretScan scan = new SecretScan();
    for (int i = 0; i < secrets.length; i++) {
      scan.put("secret " + i, secrets[i]);
    }
    List<String> leaks = scan.leaks(text);
    if (!leaks.isEmpty()) {
      throw new AssertionError("secret material found (" + leaks + ") in: "
          + text.substring(0, Math.min(300, text.length())));
    }
  }

  /** Adds a key (a copy of it) under {@code name}; a key shorter than a window cannot be scanned. */
  public SecretScan put(String name, byte[] key) {
    return add(name, key, true);
  }

  /**
   * Adds a secret that is text (a passphrase, a bearer token, a password): searched for whole as
   * it is, and every window of its UTF-8 bytes in every encoding but plain characters (eight
   * characters of a text secret may well be an ordinary word, or a prefix such as "obscura-").
   */
  public SecretScan putText(String name, String secret) {
    add(name, secret.getBytes(StandardCharsets.UTF_8), false);
    texts.putIfAbsent(secret, name);
    return this;
  }

  private SecretScan add(String name, byte[] key, boolean asCharacters) {
    if (key.length < WINDOW) {
      throw new IllegalArgumentException(name + " is shorter than a " + WINDOW + "-byte window");
    }
    byte[] old = keys.putIfAbsent(name, key.clone());
    if (old != null) {
      if (!Arrays.equals(old, key)) {
        throw new IllegalArgumentException("two different keys named " + name);
      }
      return this; // the same key met again
    }
    for (int i = 0; i + WINDOW <= key.length; i++) {
      hex.putIfAbsent(HexFormat.of().formatHex(key, i, i + WINDOW), name);
      for (String b : base64Windows(key, i)) {
        base64.putIfAbsent(b, name);
      }
      byte[] w = Arrays.copyOfRange(key, i, i + WINDOW);
      String decimal = Arrays.toString(w);
      texts.putIfAbsent(decimal.substring(1, decimal.length() - 1), name);
      if (asCharacters) {
        texts.putIfAbsent(new String(w, StandardCharsets.ISO_8859_1), name);
      }
    }
    return this;
  }

  /** A copy of the key named {@code name}. */
  public byte[] get(String name) {
    byte[] k = keys.get(name);
    if (k == null) {
      throw new IllegalArgumentException("no key named " + name);
    }
    return k.clone();
  }

  public int size() {
    return keys.size();
  }

  public Set<String> names() {
    return java.util.Collections.unmodifiableSet(keys.keySet());
  }

  /** How many {@value #WINDOW}-byte windows the scan searches for, over all keys. */
  public int windowCount() {
    return keys.values().stream().mapToInt(k -> k.length - WINDOW + 1).sum();
  }

  /** How many distinct strings the scan searches for (hex, base64, base64url, decimal and text windows). */
  public int formCount() {
    return hex.size() + base64.size() + texts.size();
  }

  /** Every key found in {@code hay}, once each, as "NAME as FORM". */
  public List<String> leaks(String hay) {
    Map<String, String> found = new LinkedHashMap<>(); // one finding per key, the first seen
    for (Map.Entry<String, String> t : texts.entrySet()) {
      if (hay.contains(t.getKey())) {
        found.putIfAbsent(t.getValue(), t.getValue() + " as text " + t.getKey());
      }
    }
    String lower = hay.toLowerCase(Locale.ROOT); // hex in either case (or mixed)
    for (int i = 0; i + HEX_CHARS <= lower.length(); i++) {
      String name = hex.get(lower.substring(i, i + HEX_CHARS));
      if (name != null) {
        found.putIfAbsent(name, name + " as hex " + hay.substring(i, i + HEX_CHARS));
      }
    }
    for (int i = 0; i + BASE64_CHARS <= hay.length(); i++) {
      String name = base64.get(hay.substring(i, i + BASE64_CHARS));
      if (name != null) {
        found.putIfAbsent(name, name + " as base64 " + hay.substring(i, i + BASE64_CHARS));
      }
    }
    return new ArrayList<>(found.values());
  }

  /**
   * Encodings of {@code key} a leak would show: the whole key as hex (both cases), base64 (with
   * and without padding), base64url, {@link Arrays#toString(byte[])} and ISO-8859-1, and every
   * window alone as hex and base64; each holds some searched window. For positive controls.
   */
  public static List<String> forms(byte[] key) {
    Set<String> forms = new LinkedHashSet<>();
    String b64 = Base64.getEncoder().encodeToString(key);
    forms.addAll(List.of(HexFormat.of().formatHex(key), HexFormat.of().withUpperCase().formatHex(key), b64,
        b64.replace("=", ""), Base64.getUrlEncoder().withoutPadding().encodeToString(key), Arrays.toString(key),
        new String(key, StandardCharsets.ISO_8859_1)));
    for (int i = 0; i + WINDOW <= key.length; i++) {
      byte[] w = Arrays.copyOfRange(key, i, i + WINDOW);
      forms.add(HexFormat.of().formatHex(w));
      forms.add(HexFormat.of().withUpperCase().formatHex(w));
      forms.add(Base64.getEncoder().withoutPadding().encodeToString(w));
      forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(w));
      forms.addAll(base64Windows(key, i)); // and the characters it fixes inside a longer blob
    }
    return new ArrayList<>(forms);
  }

  /**
   * The base64 and base64url characters the window at {@code key[i, i + 8)} fixes when it starts
   * at byte offset 0, 1 or 2 of a group of three, whatever bytes surround it.
   */
  static List<String> base64Windows(byte[] key, int i) {
    List<String> out = new ArrayList<>(6);
    for (int a = 0; a < 3; a++) {
      byte[] buf = new byte[a + WINDOW + 2]; // a unknown bytes before, room after
      System.arraycopy(key, i, buf, a, WINDOW);
      int first = (8 * a + 5) / 6; // the first character of only window bits
      for (Base64.Encoder e : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String enc = e.withoutPadding().encodeToString(buf);
        out.add(enc.substring(first, first + BASE64_CHARS));
      }
    }
    return out;
  }
}
