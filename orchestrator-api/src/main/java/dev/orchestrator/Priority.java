package dev.orchestrator;

/**
 * A task's priority, which picks one of the three FIFO lanes of its project's queue.
 *
 * <p>Ready tasks in a higher lane are always dispatched before those of a lower lane, except that a task
 * waiting in its lane longer than the engine's boost interval (24 hours by default) moves up one lane.
 *
 * @since 0.1
 */
public enum Priority {
  /** Served first. */
  HIGH,
  /** The default. */
  MEDIUM,
  /** Runs when nothing more urgent is waiting. */
  LOW;

  /** The next lane up, or this one when it is already {@link #HIGH}. */
  public Priority boosted() {
    return this == LOW ? MEDIUM : HIGH;
  }

  /**
   * Parses a priority name, ignoring case.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static Priority parse(String name) {
    for (Priority p : values()) {
      if (p.name().equalsIgnoreCase(name.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "priority must be one of high, medium, low (was '" + name + "')");
  }
}
