package dev.obscura.crypto.scheme;

/** The name, description and protection every built-in scheme states; sealing is its own. */
abstract class BuiltInScheme implements SealingScheme {
  private final String name;
  private final String description;
  private final Protection protection;

  BuiltInScheme(String name, String description, Protection protection) {
    this.name = name;
    this.description = description;
    this.protection = protection;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Protection protection() {
    return protection;
  }

  @Override
  public String toString() {
    return name;
  }
}
