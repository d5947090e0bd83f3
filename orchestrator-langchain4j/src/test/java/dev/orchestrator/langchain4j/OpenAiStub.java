package dev.orchestrator.langchain4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local OpenAI-compatible server on 127.0.0.1 (the JDK's own HTTP server) for LangChain4j's {@code OpenAiChatModel}:
 * it records each request to {@code /v1/chat/completions} and answers with scripted replies in OpenAI's shape, taken
 * in order, else the default. A {@link Hang} reply answers only when the server closes.
 */
final class OpenAiStub implements AutoCloseable {
  /** A recorded request; header names are lower case. */
  record Recorded(String method, String path, Map<String, String> headers, String body) {}

  sealed interface Reply {}

  record Whole(int status, String body) implements Reply {}

  record Hang() implements Reply {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Reply defaultReply = reply("Hello", 12, 3, 0);

  OpenAiStub() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "openai-stub");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL LangChain4j's OpenAI model is given. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void byDefault(Reply reply) {
    defaultReply = reply;
  }

  void enqueue(Reply... more) {
    replies.addAll(Arrays.asList(more));
  }

  List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  /** A chat completion with text and usage, as gpt-4o-mini's dated snapshot answers. */
  static Whole reply(String text, long promptTokens, long completionTokens, long cachedTokens) {
    return reply(text, "gpt-4o-mini-2024-07-18", promptTokens, completionTokens, cachedTokens);
  }

  static Whole reply(String text, String model, long promptTokens, long completionTokens, long cachedTokens) {
    return new Whole(200, """
        {"id": "chatcmpl-%d", "object": "chat.completion", "created": 1733450000, "model": "%s",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": %s, "refusal": null},
                      "logprobs": null, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d,
                   "prompt_tokens_details": {"cached_tokens": %d, "audio_tokens": 0},
                   "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                 "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
         "system_fingerprint": "fp_0ba0d124f1"}
        """.formatted(promptTokens, model, quote(text), promptTokens, completionTokens,
        promptTokens + completionTokens, cachedTokens));
  }

  /** A chat completion without a usage object, as some OpenAI-compatible servers answer. */
  static Whole replyWithoutUsage(String text) {
    return new Whole(200, """
        {"id": "chatcmpl-nousage", "object": "chat.completion", "created": 1733450000, "model": "gpt-4o-mini",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": %s}, "finish_reason": "stop"}]}
        """.formatted(quote(text)));
  }

  /** A chat completion that calls one tool. */
  static Whole toolCall(String tool, String argumentsJson) {
    return new Whole(200, """
        {"id": "chatcmpl-tool", "object": "chat.completion", "created": 1733450000, "model": "gpt-4o-mini-2024-07-18",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": null,
                      "tool_calls": [{"id": "call_abc123", "type": "function",
                                      "function": {"name": "%s", "arguments": %s}}]},
                      "finish_reason": "tool_calls"}],
         "usage": {"prompt_tokens": 80, "completion_tokens": 20, "total_tokens": 100}}
        """.formatted(tool, quote(argumentsJson)));
  }

  /** An OpenAI error reply. */
  static Whole error(int status, String type, String code, String message) {
    return new Whole(status, """
        {"error": {"message": %s, "type": "%s", "param": null, "code": "%s"}}
        """.formatted(quote(message), type, code));
  }

  private static String quote(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        default -> s.append(c);
      }
    }
    return s.append('"').toString();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
      Reply reply = replies.poll();
      if (reply == null) {
        reply = defaultReply;
      }
      if (!ex.getRequestURI().getPath().equals("/v1/chat/completions")) {
        reply = error(404, "invalid_request_error", "unknown_url", "Unknown request URL");
      }
      if (reply instanceof Whole w) {
        byte[] bytes = w.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(w.status(), bytes.length);
        ex.getResponseBody().write(bytes);
      } else if (reply instanceof Hang) {
        closing.await(60, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
