package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.spring.boot.OrchestratorProperties;
import dev.orchestrator.spring.boot.OrchestratorProperties.StoreType;

/** Checks {@code orchestrator.store.*}: an embedded store needs its directory, and only it takes one. */
final class StoreCheck {
  private StoreCheck() {}

  static void check(OrchestratorProperties.StoreSettings s, Problems problems) {
    if (s.getType() == StoreType.EMBEDDED && (s.getPath() == null || s.getPath().isBlank())) {
      problems.add("store.path", "store.path", "is missing: the embedded store (store.type: embedded) needs the"
          + " directory of its database file, such as ./data");
    }
    if (s.getType() != StoreType.EMBEDDED && s.getPath() != null) {
      problems.add("store.path", "store.path", "is only for store.type: embedded (was " + Problems.shown(s.getPath())
          + " with store.type: " + s.getType().name().toLowerCase(java.util.Locale.ROOT) + "): set store.type:"
          + " embedded, or remove store.path");
    }
  }
}
