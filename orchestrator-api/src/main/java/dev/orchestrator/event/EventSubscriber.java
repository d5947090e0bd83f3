package dev.orchestrator.event;

/**
 * Receives the events of an engine. Called on the engine's dispatch thread in the order events happen, so it must
 * return quickly: hand slow work (sending mail, writing files) to an executor of your own. A subscriber that throws
 * is logged and skipped for that event; it never breaks the engine. (Named apart from the JDK's
 * {@code java.util.EventListener}, so an import never picks the wrong one.)
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventSubscriber {
  /** Called once per event. */
  void onEvent(Event event);
}
