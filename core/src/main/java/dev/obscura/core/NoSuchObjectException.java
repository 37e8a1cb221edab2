package dev.obscura.core;

import java.io.IOException;

/** The store has no object of the requested name. */
public class NoSuchObjectException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoSuchObjectException(String name) {
    super("no such object: " + name);
  }
}
