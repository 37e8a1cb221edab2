package dev.obscura.core;

import java.util.Objects;

/** A committed object as a store lists it: its name and size. */
public record StoredObject(String name, long sizeBytes) {
  public StoredObject {
    Objects.requireNonNull(name, "name");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
  }
}
