package dev.orchestrator.core.internal;

import java.net.InetAddress;
import java.util.UUID;

/** Default names of engine instances: the host, the process id and a random suffix, so each is unique and readable. */
public final class EngineNames {
  private EngineNames() {}

  /** A new name, for example {@code build-7:4242:3f9a2c}. */
  public static String next() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 6);
  }
}
