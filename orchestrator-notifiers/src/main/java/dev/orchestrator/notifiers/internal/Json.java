package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The module's one Jackson mapper (thread-safe once configured). */
public final class Json {
  /** Shared mapper. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
