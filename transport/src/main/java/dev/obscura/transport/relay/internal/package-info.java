/**
 * Not API: the relay server's per-stream state and its Jetty endpoints, public only because
 * Jetty invokes endpoints through method handles. May change in any release.
 */
package dev.obscura.transport.relay.internal;
