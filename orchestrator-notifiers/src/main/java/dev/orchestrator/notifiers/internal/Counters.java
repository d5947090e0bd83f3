package dev.orchestrator.notifiers.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The listener's running totals. Thread-safe. */
public final class Counters {
  /** Engine events that matched a rule and a channel (one per channel). */
  public final AtomicLong matched = new AtomicLong();
  /** Notifications handed to a channel. */
  public final AtomicLong sent = new AtomicLong();
  /** Notifications a channel accepted. */
  public final AtomicLong delivered = new AtomicLong();
  /** Notifications given up on after their attempts. */
  public final AtomicLong failed = new AtomicLong();
  /** Occurrences folded into a digest instead of being sent one by one. */
  public final AtomicLong merged = new AtomicLong();
  /** Notifications held back by a channel's rate limit. */
  public final AtomicLong suppressed = new AtomicLong();
  /** Events or notifications dropped because a queue was full. */
  public final AtomicLong dropped = new AtomicLong();

  /** Adds another set of totals to these. */
  public void add(Counters other) {
    matched.addAndGet(other.matched.get());
    sent.addAndGet(other.sent.get());
    delivered.addAndGet(other.delivered.get());
    failed.addAndGet(other.failed.get());
    merged.addAndGet(other.merged.get());
    suppressed.addAndGet(other.suppressed.get());
    dropped.addAndGet(other.dropped.get());
  }
}
