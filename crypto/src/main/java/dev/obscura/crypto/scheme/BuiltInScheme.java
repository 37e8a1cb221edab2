package dev.obscura.crypto.scheme;

import java.io.IOException;

/**
 * What every built-in scheme states (name, description, protection) and how it makes its sealer
 * and opener (one constructor each, given the context); the sealing itself is the scheme's own.
 */
abstract class BuiltInScheme implements SealingScheme {
  /** Makes a sealer or an opener for a context. */
  interface Factory<T> {
    T create(SchemeContext context) throws IOException;
  }

  private final String name;
  private final String description;
  private final Protection protection;
  private final Factory<? extends Sealer> sealers;
  private final Factory<? extends Opener> openers;

  BuiltInScheme(String name, String description, Protection protection,
      Factory<? extends Sealer> sealers, Factory<? extends Opener> openers) {
    this.name = name;
    this.description = description;
    this.protection = protection;
    this.sealers = sealers;
    this.openers = openers;
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
  public final Sealer sealer(SchemeContext context) throws IOException {
    return sealers.create(java.util.Objects.requireNonNull(context, "context"));
  }

  @Override
  public final Opener opener(SchemeContext context) throws IOException {
    return openers.create(java.util.Objects.requireNonNull(context, "context"));
  }

  @Override
  public String toString() {
    return name;
  }
}
