package dev.orchestrator.event;

/**
 * Receives events. Called on the engine's dispatch thread in the order events happen, so it must return quickly:
 * hand slow work (sending mail, writing files) to an executor of your own. A listener that throws is logged and
 * skipped for that event; it never breaks the engine.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventListener {
  /** Called once per event. */
  void onEvent(Event event);
}
