package dev.obscura.crypto.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test sets and advances: roster signing times, envelope and epoch times. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public Instant now() {
    return now;
  }

  public void set(Instant t) {
    now = t;
  }

  /** Moves the clock on by {@code d} and returns the new time. */
  public Instant advance(Duration d) {
    now = now.plus(d);
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
