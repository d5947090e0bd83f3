package dev.orchestrator.spring.boot.internal;

import dev.orchestrator.spring.boot.OrchestratorProperties;

/**
 * Checks {@code orchestrator.dashboard.*} without the dashboard on the class path, as its options would: the port,
 * the host, and the access token's length (never its value).
 */
final class DashboardCheck {
  /** The shortest access token the dashboard accepts. */
  static final int MIN_TOKEN_LENGTH = 16;

  private DashboardCheck() {}

  static void check(OrchestratorProperties.DashboardSettings d, Problems problems) {
    if (d.getPort() < 0 || d.getPort() > 65535) {
      problems.add("dashboard.port", "dashboard.port", "must be within 0..65535, 0 for any free port (was "
          + d.getPort() + ")");
    }
    if (d.getHost() == null || d.getHost().isBlank()) {
      problems.add("dashboard.host", "dashboard.host", "must not be blank: use 127.0.0.1 for this machine only, or "
          + "0.0.0.0 with an access-token");
    }
    String token = d.getAccessToken();
    if (token != null && (token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127))) {
      problems.addSecret("dashboard.access-token", "dashboard.accessToken", "must be at least " + MIN_TOKEN_LENGTH
          + " printable ASCII characters without spaces (was " + token.length() + " characters): generate one, for"
          + " example with `openssl rand -hex 24`");
    }
  }
}
