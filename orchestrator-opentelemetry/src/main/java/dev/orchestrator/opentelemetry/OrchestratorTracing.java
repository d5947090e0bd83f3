package dev.orchestrator.opentelemetry;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.opentelemetry.internal.ContentReader;
import dev.orchestrator.opentelemetry.internal.Providers;
import dev.orchestrator.opentelemetry.internal.SpanRecorder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry traces of an {@link Orchestrator}: a span per run, a child span per task, and a child of the task per
 * provider attempt, built from the engine's events with each event's instant as the span's start or end.
 *
 * <pre>{@code
 * OpenTelemetry otel = ...;   // the application's SDK, or GlobalOpenTelemetry.get()
 * try (Orchestrator orchestrator = Orchestrator.builder().provider(claude).build();
 *      OrchestratorTracing tracing = OrchestratorTracing.builder(orchestrator, otel)
 *          .system("claude", "anthropic").model("claude", "claude-sonnet-4-5")
 *          .build()) {
 *   orchestrator.submit("demo", workflow);
 * }
 * }</pre>
 *
 * <p>Attempt spans ({@code CLIENT}) follow the GenAI semantic conventions: {@code gen_ai.operation.name=chat},
 * {@code gen_ai.provider.name} (and its earlier name {@code gen_ai.system}), {@code gen_ai.request.model},
 * {@code gen_ai.usage.input_tokens}, {@code gen_ai.usage.output_tokens}, and {@code error.type} with an
 * {@code ERROR} status on a failed attempt. Events name the provider instance, not its vendor or model: give those
 * with {@link Builder#system} and {@link Builder#model}; without them the vendor is the instance name and the model
 * is left out. Prompts and outputs ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}) and provider error
 * messages are recorded only with {@link Builder#captureContent(boolean) captureContent(true)}.
 *
 * <p>Runs submitted before tracing started have no run span: their task spans are roots, carrying
 * {@code orchestrator.run.id}. Attempts that started before tracing did get no span.
 *
 * <p>Provider calls run inside their attempt spans when the providers are wrapped by a {@link ProviderCallTracing}
 * given to {@link Builder#providerCalls}; an instrumented HTTP client then carries the context to the vendor. The
 * bundled HTTP providers have no hook to add headers yet: their requests carry it only under the OpenTelemetry Java
 * agent (see the tracing page of the docs).
 *
 * <p>Thread-safe. {@link #close()} stops recording (spans still open are not ended) and is idempotent.
 *
 * @since 0.1
 */
public final class OrchestratorTracing implements AutoCloseable {
  /** The instrumentation scope name of the tracer. */
  public static final String INSTRUMENTATION_NAME = "dev.orchestrator.opentelemetry";

  /** Where the events come from. */
  public enum EventSource {
    /** The events of this process's engine, as they happen ({@link Orchestrator#subscribe}). The default. */
    THIS_PROCESS,
    /**
     * The store's event stream, appended by every process that shares it ({@link Orchestrator#follow}); polled every
     * 200 ms on a thread of its own. Use it in one process per cluster, or every process will trace everything.
     */
    STORE
  }

  private final AutoCloseable subscription;
  private final @Nullable ProviderCallTracing calls;
  private final Object lock = new Object();
  /** Guarded by lock. */
  private boolean closed;

  private OrchestratorTracing(Builder b) {
    Tracer tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
    SpanRecorder recorder = new SpanRecorder(tracer, new Providers(b.systems, b.models),
        b.captureContent ? new ContentReader(b.orchestrator.store()) : null);
    this.calls = b.calls;
    if (calls != null) {
      calls.attach(c -> recorder.openAttempt(c.project(), c.runId(), c.taskId()));
    }
    this.subscription = b.source == EventSource.STORE
        ? b.orchestrator.follow(b.orchestrator.store().lastEventSequence(), recorder)
        : b.orchestrator.subscribe(recorder);
  }

  /** Traces {@code orchestrator} into {@code openTelemetry} with the defaults; close what it returns to stop. */
  public static OrchestratorTracing create(Orchestrator orchestrator, OpenTelemetry openTelemetry) {
    return builder(orchestrator, openTelemetry).build();
  }

  /** Starts configuring the tracing of {@code orchestrator}. */
  public static Builder builder(Orchestrator orchestrator, OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(orchestrator, "orchestrator"),
        Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** Stops recording spans. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (calls != null) {
      calls.detach();
    }
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException("the event subscription did not close: " + e, e);
    }
  }

  /** Configures {@link OrchestratorTracing}. Mutable and not thread-safe. */
  public static final class Builder {
    private final Orchestrator orchestrator;
    private final OpenTelemetry openTelemetry;
    private boolean captureContent;
    private EventSource source = EventSource.THIS_PROCESS;
    private final Map<String, String> systems = new HashMap<>();
    private final Map<String, String> models = new HashMap<>();
    private @Nullable ProviderCallTracing calls;

    private Builder(Orchestrator orchestrator, OpenTelemetry openTelemetry) {
      this.orchestrator = orchestrator;
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether attempt spans carry the prompt and the output ({@code gen_ai.input.messages},
     * {@code gen_ai.output.messages}, read from the store) and failed attempts their error message. Off by default:
     * prompts and outputs may hold personal data or secrets.
     */
    public Builder captureContent(boolean capture) {
      this.captureContent = capture;
      return this;
    }

    /** Where the events come from; {@link EventSource#THIS_PROCESS} by default. */
    public Builder events(EventSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The vendor of a provider instance, for {@code gen_ai.provider.name}: {@code openai}, {@code anthropic},
     * {@code gcp.gemini}, ... (the conventions' well-known values). By default, the instance name.
     *
     * @throws IllegalArgumentException when either is blank
     */
    public Builder system(String provider, String system) {
      systems.put(name(provider), required("system", system));
      return this;
    }

    /**
     * The model a provider instance is configured with, for {@code gen_ai.request.model} and the span's name
     * ({@code chat <model>}). By default none is recorded and the span is named after the instance.
     *
     * @throws IllegalArgumentException when either is blank
     */
    public Builder model(String provider, String model) {
      models.put(name(provider), required("model", model));
      return this;
    }

    /**
     * Runs the calls of the providers {@code calls} wrapped inside their attempt spans (see {@link
     * ProviderCallTracing}); only with {@link EventSource#THIS_PROCESS}.
     */
    public Builder providerCalls(ProviderCallTracing calls) {
      this.calls = Objects.requireNonNull(calls, "calls");
      return this;
    }

    /**
     * Starts recording: the subscription begins here.
     *
     * @throws IllegalStateException when {@link #providerCalls} is combined with {@link EventSource#STORE}, or its
     *     calls are traced by another tracing already
     */
    public OrchestratorTracing build() {
      if (calls != null && source == EventSource.STORE) {
        throw new IllegalStateException("providerCalls needs events(THIS_PROCESS): the store's stream delivers an "
            + "attempt's start after its call has begun");
      }
      return new OrchestratorTracing(this);
    }

    private static String name(String provider) {
      // Provider instance names are lower case in events (BudgetScope and the engine normalise them so).
      return required("provider", provider).toLowerCase(Locale.ROOT);
    }

    private static String required(String field, String value) {
      Objects.requireNonNull(value, field);
      if (value.isBlank()) {
        throw new IllegalArgumentException(field + " must not be blank (was '" + value
            + "'): give the provider instance's name, its vendor or its model as configured");
      }
      return value.trim();
    }
  }
}
