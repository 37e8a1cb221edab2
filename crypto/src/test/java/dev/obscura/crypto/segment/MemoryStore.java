package dev.obscura.crypto.segment;

import dev.obscura.crypto.testing.MemStore;

/**
 * The crypto tests' one in-memory store, {@link MemStore}, under the name the segment tests
 * use (kept while those tests are being changed elsewhere; they may name {@link MemStore}).
 */
final class MemoryStore extends MemStore {}
