package dev.orchestrator.core.internal;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What components of core built on an {@link Orchestrator} (the scheduling service) need of it that its public API
 * must not offer: recording an event of their own in the store, delivered with the engine's events. Applications
 * cannot forge events through the facade; this internal class carries no compatibility promise and is not for them.
 */
public final class EngineAccess {
  /** The bridge the {@link Orchestrator} class installs when it is initialised. */
  public interface Bridge {
    /** Stores {@code event} and delivers it to every listener and subscriber of {@code orchestrator}. */
    void publish(Orchestrator orchestrator, Event event);
  }

  private static volatile @Nullable Bridge bridge;

  private EngineAccess() {}

  /**
   * Installs the bridge; called once, by {@link Orchestrator}'s static initialiser.
   *
   * @throws IllegalStateException when one is installed already
   */
  public static synchronized void install(Bridge b) {
    Objects.requireNonNull(b, "bridge");
    if (bridge != null) {
      throw new IllegalStateException("the engine bridge is installed already");
    }
    bridge = b;
  }

  /** Records a component's event through the engine of {@code orchestrator}. */
  public static void publish(Orchestrator orchestrator, Event event) {
    Objects.requireNonNull(orchestrator, "orchestrator");
    Objects.requireNonNull(event, "event");
    Bridge b = bridge;
    if (b == null) {
      throw new IllegalStateException("the engine bridge is not installed: the Orchestrator class did not initialise");
    }
    b.publish(orchestrator, event);
  }
}
