package dev.obscura.transport.internal;

import java.util.regex.Pattern;

/**
 * The object-name rules every store in this package enforces: a relative path of elements
 * separated by {@code /}, each element 1 to 255 characters of {@code [A-Za-z0-9._-]} that does
 * not start with {@code .} (so no {@code .}, {@code ..} and no hidden names, which the
 * filesystem store reserves for its temporary files). At most 1024 characters in all.
 *
 * <p>Not API: {@code internal} packages may change in any release.
 */
public final class ObjectNameRules {
  public static final int MAX_NAME_LENGTH = 1024;
  public static final int MAX_ELEMENT_LENGTH = 255;
  private static final Pattern ELEMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}");

  private ObjectNameRules() {}

  /**
   * Checks {@code name}.
   *
   * @throws IllegalArgumentException if it breaks a rule (the message does not echo the name
   *     beyond its length, so a hostile name cannot inject into logs)
   */
  public static String validate(String name) {
    if (name == null) {
      throw new NullPointerException("name");
    }
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "object name must be 1-" + MAX_NAME_LENGTH + " characters, got " + name.length());
    }
    int start = 0;
    while (true) {
      int slash = name.indexOf('/', start);
      int end = slash < 0 ? name.length() : slash;
      if (!ELEMENT.matcher(name).region(start, end).matches()) {
        throw new IllegalArgumentException(
            "invalid object name: elements must be 1-255 characters of [A-Za-z0-9._-], not"
                + " starting with '.', separated by single '/' (no absolute paths, no '..')");
      }
      if (slash < 0) {
        return name;
      }
      start = slash + 1;
    }
  }

  /** Whether {@code name} is valid, without throwing. */
  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }
}
