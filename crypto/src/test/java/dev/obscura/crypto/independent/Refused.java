package dev.obscura.crypto.independent;

/**
 * An independent reader's refusal of a vector. {@code kind} names it the way the vector file's
 * {@code expect:} line does (the SDK exception's simple name, or a step of the spec), or is null
 * where the reader only needs to know that the vector was refused.
 */
final class Refused extends Exception {
  final String kind;

  Refused(String why) {
    this(null, why);
  }

  Refused(String kind, String why) {
    super(kind == null ? why : kind + ": " + why);
    this.kind = kind;
  }
}
