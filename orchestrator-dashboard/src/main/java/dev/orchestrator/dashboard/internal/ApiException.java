package dev.orchestrator.dashboard.internal;

/** A request the dashboard refuses, with the HTTP status and a message that names the value and the fix. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
