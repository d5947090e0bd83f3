package dev.orchestrator.spi.notifier;

/**
 * How bad the news in a {@link Notification} is. Channels use it for presentation only (a colour in Slack or
 * Discord, a prefix in an SMS); which channels hear of an event is decided by the rules, not by the severity.
 *
 * @since 0.1
 */
public enum Severity {
  /** Good or neutral news: a task or a run completed. */
  INFO,
  /** Needs attention soon: a budget threshold was crossed, a human is asked a question, a schedule misfired. */
  WARNING,
  /** Work stopped: a task failed, a budget limit paused work, a provider's circuit opened. */
  CRITICAL
}
