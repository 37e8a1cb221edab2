package dev.obscura.transport.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EventId;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzzes the readers of object names as a store listing returns them (any name a store holds,
 * including names an attacker with write access planted): {@link ObjectNames#parseSegment},
 * {@link ObjectNames#parseEnvelope}, {@link ObjectNames#parseEvent}, {@link EventId#parse} and
 * the store-side {@link ObjectNameRules#validate}.
 *
 * <p>Invariants: the parsers answer a value or empty and never throw; a parsed name formats back
 * to the same string (the names are canonical: zero-padded numbers, lowercase hex) and every
 * parsed name is a valid store name; at most one parser accepts a name; a sequence or epoch is
 * in range; {@code validate} throws only {@link IllegalArgumentException} and accepts only
 * relative names of 1 to 1024 characters without empty, {@code .}-leading or over-long elements.
 */
class ObjectNamesFuzzTest {
  @FuzzTest
  void parseArbitraryNames(byte[] data) {
    String name = new String(data, StandardCharsets.UTF_8);
    int accepted = 0;
    Optional<SegmentId> seg = ObjectNames.parseSegment(name);
    if (seg.isPresent()) {
      accepted++;
      if (!SegmentId.isValidSequence(seg.get().sequence())
          || !ObjectNames.segment(seg.get()).equals(name)) {
        throw new AssertionError("segment name does not round-trip");
      }
    }
    Optional<ObjectNames.EnvelopeName> env = ObjectNames.parseEnvelope(name);
    if (env.isPresent()) {
      accepted++;
      if (!ObjectNames.envelope(env.get().stream(), env.get().epoch()).equals(name)
          || !ObjectNames.parseEnvelopeStream(name).equals(Optional.of(env.get().stream()))) {
        throw new AssertionError("envelope name does not round-trip");
      }
    }
    Optional<ObjectNames.EventName> evt = ObjectNames.parseEvent(name);
    if (evt.isPresent()) {
      accepted++;
      if (!ObjectNames.event(evt.get().stream(), evt.get().id()).equals(name)) {
        throw new AssertionError("event name does not round-trip");
      }
    }
    if (accepted > 1) {
      throw new AssertionError("a name parsed as two kinds");
    }
    boolean valid = checkRules(name);
    if (accepted == 1 && !valid) {
      throw new AssertionError("a parsed object name is not a valid store name");
    }
    try {
      EventId id = EventId.parse(name);
      if (!id.toHex().equalsIgnoreCase(name)) {
        throw new AssertionError("event id does not round-trip");
      }
    } catch (IllegalArgumentException expected) {
      // typed
    }
  }

  /** validate, checked against an independent reading of the rules. */
  private static boolean checkRules(String name) {
    boolean expected = name.length() >= 1 && name.length() <= ObjectNameRules.MAX_NAME_LENGTH;
    if (expected) {
      for (String el : name.split("/", -1)) {
        if (el.isEmpty() || el.length() > ObjectNameRules.MAX_ELEMENT_LENGTH || el.charAt(0) == '.') {
          expected = false;
          break;
        }
        for (int i = 0; i < el.length(); i++) {
          char c = el.charAt(i);
          boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
              || c == '.' || c == '_' || c == '-';
          if (!ok) {
            expected = false;
            break;
          }
        }
      }
    }
    boolean valid;
    try {
      valid = ObjectNameRules.validate(name).equals(name);
    } catch (IllegalArgumentException e) {
      if (e.getMessage().contains(name) && name.length() > 8) {
        throw new AssertionError("validate echoes the name", e);
      }
      valid = false;
    }
    if (valid != expected || ObjectNameRules.isValid(name) != valid) {
      throw new AssertionError("validate says " + valid + ", the rules say " + expected);
    }
    return valid;
  }
}
