package dev.obscura.crypto.scheme;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An immutable, ordered set of {@link SealingScheme}s, looked up by name. There is no global
 * registry: a run compares exactly the schemes its set holds. {@link #with} returns a new set.
 *
 * <pre>{@code
 * SchemeSet schemes = SchemeSet.builtIn().with(new MyScheme());
 * List<SealingScheme> chosen = schemes.select("chunked,my-scheme");   // or "all"
 * }</pre>
 */
public final class SchemeSet {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  private final Map<String, SealingScheme> byName;

  private SchemeSet(Map<String, SealingScheme> byName) {
    this.byName = byName;
  }

  /** A set holding no scheme. */
  public static SchemeSet empty() {
    return new SchemeSet(Collections.<String, SealingScheme>emptyMap());
  }

  /**
   * The built-in schemes, in this order: {@code chunked} (the default), {@code frame-aead},
   * {@code sframe}, {@code tink-streaming}, {@code selective} (a weak baseline). See {@code
   * docs/schemes.md}.
   *
   * @return a new set of the built-in schemes
   */
  public static SchemeSet builtIn() {
    return of(
        new ChunkedScheme(),
        new FrameAeadScheme(),
        new SFrameScheme(),
        new TinkStreamingScheme(),
        new SelectiveScheme());
  }

  /** A set holding exactly {@code schemes}, in this order. */
  public static SchemeSet of(SealingScheme... schemes) {
    SchemeSet set = empty();
    for (SealingScheme s : schemes) {
      set = set.with(s);
    }
    return set;
  }

  /**
   * This set and {@code scheme}, which goes last.
   *
   * @throws IllegalArgumentException if its name is not {@code [a-z0-9][a-z0-9-]{0,31}}, is
   *     taken, or it is {@link SealingScheme.Protection#WEAK} without a warning
   */
  public SchemeSet with(SealingScheme scheme) {
    Objects.requireNonNull(scheme, "scheme");
    String name = scheme.name();
    if (name == null || !NAME.matcher(name).matches() || name.equals("all")) {
      throw new IllegalArgumentException("scheme name " + name + " is not [a-z0-9][a-z0-9-]{0,31} (nor 'all')");
    }
    if (byName.containsKey(name)) {
      throw new IllegalArgumentException("a scheme named " + name + " is already in the set");
    }
    Objects.requireNonNull(scheme.protection(), "protection of " + name);
    if (scheme.protection() == SealingScheme.Protection.WEAK
        && (scheme.warning() == null || scheme.warning().isEmpty())) {
      throw new IllegalArgumentException("scheme " + name + " is WEAK and must say why in warning()");
    }
    Map<String, SealingScheme> next = new LinkedHashMap<>(byName);
    next.put(name, scheme);
    return new SchemeSet(Collections.unmodifiableMap(next));
  }

  /** The scheme named {@code name}. @throws IllegalArgumentException naming the known ones */
  public SealingScheme get(String name) {
    SealingScheme s = byName.get(name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unknown scheme '" + name + "'; known: " + String.join(", ", names()));
    }
    return s;
  }

  /**
   * The schemes a comma-separated list names, in its order, or every scheme for {@code all}.
   *
   * @throws IllegalArgumentException for an unknown, repeated or empty name
   */
  public List<SealingScheme> select(String list) {
    Objects.requireNonNull(list, "list");
    if (list.trim().equalsIgnoreCase("all")) {
      return all();
    }
    List<SealingScheme> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      SealingScheme s = get(part);
      if (out.contains(s)) {
        throw new IllegalArgumentException("scheme '" + part.trim() + "' is listed twice");
      }
      out.add(s);
    }
    return Collections.unmodifiableList(out);
  }

  /** Every scheme, in order. */
  public List<SealingScheme> all() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  /** The names, in order. */
  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
  }

  @Override
  public String toString() {
    return "SchemeSet" + names();
  }
}
