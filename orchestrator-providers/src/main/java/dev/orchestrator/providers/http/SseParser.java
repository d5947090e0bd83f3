package dev.orchestrator.providers.http;

import org.jspecify.annotations.Nullable;

/**
 * Splits a server-sent event stream, fed one line at a time, into events: {@code event:} names the event,
 * {@code data:} lines (joined with newlines) carry its payload, a blank line dispatches it, lines starting with
 * {@code :} are comments. Not thread-safe: one per stream.
 */
public final class SseParser {
  /** Receives each dispatched event. */
  @FunctionalInterface
  /** Receives each dispatched event. */
  public interface Listener {
    void onEvent(@Nullable String event, String data) throws Exception;
  }

  private final Listener listener;
  private @Nullable String event;
  private @Nullable StringBuilder data;

  /** A parser that dispatches to {@code listener}. */
  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Takes one line of the stream, without its line terminator; a blank line dispatches the event. */
  public void line(String line) throws Exception {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("event")) {
      event = value;
    } else if (field.equals("data")) {
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    }
    // "id" and "retry" do not matter to a single request's stream
  }

  /** Dispatches an event left without its closing blank line. */
  public void end() throws Exception {
    dispatch();
  }

  private void dispatch() throws Exception {
    StringBuilder d = data;
    String e = event;
    data = null;
    event = null;
    if (d != null) {
      listener.onEvent(e, d.toString());
    }
  }
}
