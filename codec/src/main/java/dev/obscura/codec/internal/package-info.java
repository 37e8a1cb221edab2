/**
 * Implementation of {@code dev.obscura.codec}: the bounded ISO-BMFF box reader, the streaming
 * fMP4 splitter and segment assembler, and the pull-driven encoding pipelines. Not API: may
 * change in any release.
 */
package dev.obscura.codec.internal;
