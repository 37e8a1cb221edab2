package dev.obscura.crypto.trust;

import dev.obscura.core.KeyUnavailableException;

/**
 * The camera has no roster it may wrap keys for: it was never paired, or its pinned roster is gone
 * (a reset camera folder). It records nothing until an owner pairs it again with a fresh code
 * ({@code camera init}, then {@code device add --pair} or {@code camera pair}).
 */
public class NotPairedException extends KeyUnavailableException {
  private static final long serialVersionUID = 1L;

  public NotPairedException(String message) {
    super(message);
  }
}
