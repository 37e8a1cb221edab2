/**
 * Store-and-forward: {@link dev.obscura.transport.spool.SpoolingSegmentStore}, a durable local
 * spool in front of any remote store, with a documented cap and drop policy (oldest segments
 * first, envelopes never; every drop counted, logged and reported). See {@code docs/storage.md}.
 */
package dev.obscura.transport.spool;
