package dev.obscura.crypto.chunked;

import dev.obscura.core.IntegrityException;
import java.io.IOException;

/**
 * How a stream decorator reports an integrity failure through {@link java.io.InputStream}'s
 * {@code IOException}-only signature. {@link #integrityCause()} is the typed failure
 * ({@link dev.obscura.core.TamperedSegmentException}, {@link
 * dev.obscura.core.TruncatedSegmentException}, ...).
 */
public final class IntegrityIOException extends IOException {
  private static final long serialVersionUID = 1L;

  public IntegrityIOException(IntegrityException cause) {
    super(cause.getMessage(), cause);
  }

  /** The typed integrity failure. */
  public IntegrityException integrityCause() {
    return (IntegrityException) getCause();
  }
}
