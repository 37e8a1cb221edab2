package dev.obscura.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where sealed objects live: a filesystem, an object store, memory. A store holds only
 * ciphertext and public headers; it never sees a key or a plaintext, and it is not trusted: the
 * reader authenticates everything it gets back.
 *
 * <p>Object names are relative paths of {@code [A-Za-z0-9._-]} elements separated by {@code /}
 * (see {@link ObjectNames}).
 *
 * <p>Three methods to implement; {@link #put} and {@link #readAll} are conveniences on top, and
 * {@link #delete} is optional (a write-once store keeps the default, which refuses).
 *
 * <p><b>Guarantees an implementation must give:</b> an object becomes visible to {@link #open}
 * and {@link #list} only when its writer's {@link ObjectWriter#commit()} returns, whole, and
 * durable as far as the medium allows; a writer closed without commit leaves nothing visible.
 */
public interface SegmentStore {
  /**
   * Starts writing an object. Bytes can be written as they are produced; the object appears only
   * on {@link ObjectWriter#commit()}. Committing a name that exists replaces it atomically.
   */
  ObjectWriter create(String name) throws IOException;

  /**
   * Opens an object for reading.
   *
   * @throws NoSuchObjectException if there is no such object
   */
  InputStream open(String name) throws IOException;

  /** Lists the committed objects whose names start with {@code prefix}, sorted by name. */
  List<StoredObject> list(String prefix) throws IOException;

  /**
   * Deletes an object, for retention ({@code dev.obscura.crypto.retention}). Idempotent: deleting
   * a name that does not exist succeeds, so a retried or resumed deletion is always safe (S3 cannot
   * tell the two cases apart without a race anyway). When it returns, {@link #open} of the name
   * throws {@link NoSuchObjectException} and {@link #list} omits it, until a writer commits the
   * name again.
   *
   * <p>A store is not trusted to delete either: it may keep copies, or delete what it was never
   * asked to. Readers detect what is missing (see the trust model); they cannot detect a copy.
   *
   * <p>The default refuses: a store that cannot delete (write-once media) need not implement it.
   *
   * @param name the object's name (see {@link ObjectNames})
   * @throws IllegalArgumentException if the name is not a valid object name
   * @throws UnsupportedOperationException if this store cannot delete
   * @throws IOException if the deletion failed; the object may still exist, and retrying is safe
   */
  default void delete(String name) throws IOException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete objects");
  }

  /** Writes a whole object at once. */
  default void put(String name, byte[] data) throws IOException {
    try (ObjectWriter w = create(name)) {
      w.write(data);
      w.commit();
    }
  }

  /**
   * Reads a whole object, refusing one larger than {@code maxBytes} before allocating for it.
   *
   * @throws MalformedDataException if the object is larger than {@code maxBytes}
   */
  default byte[] readAll(String name, int maxBytes) throws IOException, MalformedDataException {
    try (InputStream in = open(name)) {
      byte[] data = Bytes.readUpTo(in, maxBytes);
      if (in.read() != -1) {
        throw new MalformedDataException("object " + name + " is larger than " + maxBytes + " bytes");
      }
      return data;
    }
  }
}
