package dev.obscura.examples.cli;

import dev.obscura.crypto.padding.PaddingPolicies;
import dev.obscura.crypto.padding.PaddingPolicy;
import picocli.CommandLine;

/**
 * Parses {@code --padding POLICY} as {@link PaddingPolicies#parse} does: {@code none}, {@code
 * buckets[:BASE[:MIN]]}, {@code cbr[:BYTES_PER_SECOND]}, {@code interval[:PERIOD:BYTES]}.
 */
final class Paddings implements CommandLine.ITypeConverter<PaddingPolicy> {
  /** The option's description, shared by record and live. */
  static final String HELP = "Padding policy (docs/padding.md): none, buckets[:BASE[:MIN]], cbr[:BYTES_PER_SECOND]"
      + " or interval[:PERIOD:BYTES] (default: ${DEFAULT-VALUE}).";

  @Override
  public PaddingPolicy convert(String value) {
    try {
      return PaddingPolicies.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
