package dev.orchestrator.dashboard;

import dev.orchestrator.templates.plan.PlanningContext;
import dev.orchestrator.templates.plan.WorkflowPlanner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Dashboard} listens and what it shows. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * DashboardOptions local = DashboardOptions.ofDefaults();               // 127.0.0.1, any free port, no token
 * DashboardOptions shared = DashboardOptions.builder()
 *     .host("0.0.0.0").port(8080)
 *     .accessToken(System.getenv("ORCHESTRATOR_DASHBOARD_TOKEN"))     // required off loopback
 *     .projects("blog", "docs").defaultProject("blog")
 *     .build();
 * }</pre>
 *
 * <p>{@link #toString()} never shows the access token.
 */
public final class DashboardOptions {
  /** The host bound by default: the loopback address, reachable only from this machine. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The shortest access token accepted: long enough not to be guessed. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.\\-]{0,99}");

  private final String host;
  private final int port;
  private final @Nullable String accessToken;
  private final List<String> projects;
  private final @Nullable String defaultProject;
  private final boolean loopback;
  private final @Nullable PlanningContext planningContext;
  private final @Nullable WorkflowPlanner llmPlanner;
  private final @Nullable Path templateDirectory;
  private final @Nullable OneTap oneTap;
  private final dev.orchestrator.core.schedule.@Nullable Scheduling scheduling;

  private DashboardOptions(Builder b, boolean loopback) {
    this.oneTap = b.oneTap;
    this.scheduling = b.scheduling;
    this.planningContext = b.planningContext;
    this.llmPlanner = b.llmPlanner;
    this.templateDirectory = b.templateDirectory;
    this.host = b.host;
    this.port = b.port;
    this.accessToken = b.accessToken;
    this.projects = List.copyOf(b.projects);
    this.defaultProject = b.defaultProject;
    this.loopback = loopback;
  }

  /** Starts configuring options. */
  public static Builder builder() {
    return new Builder();
  }

  /** 127.0.0.1, any free port, no access token, every project. */
  public static DashboardOptions ofDefaults() {
    return builder().build();
  }

  /** The host or address bound; {@value #DEFAULT_HOST} by default. */
  public String host() {
    return host;
  }

  /** The port bound; 0 (any free port) by default. */
  public int port() {
    return port;
  }

  /** The access token, if one is set. Never log it. */
  public Optional<String> accessToken() {
    return Optional.ofNullable(accessToken);
  }

  /** The projects shown, or empty for every project the orchestrator knows. */
  public List<String> projects() {
    return projects;
  }

  /** The project shown first, or empty for the first one known. */
  public Optional<String> defaultProject() {
    return Optional.ofNullable(defaultProject);
  }

  /** Whether the host is a loopback address (reachable only from this machine). */
  public boolean isLoopback() {
    return loopback;
  }

  /**
   * The provider instances the "Describe a workflow" box may plan with, or empty when the box is off (the default).
   */
  public Optional<PlanningContext> planningContext() {
    return Optional.ofNullable(planningContext);
  }

  /** The planner used when the page asks for the LLM planner, or empty when only the offline planner is offered. */
  public Optional<WorkflowPlanner> llmPlanner() {
    return Optional.ofNullable(llmPlanner);
  }

  /** Where "Save as template" writes {@code <name>.json}, or empty when saving is not offered. */
  public Optional<Path> templateDirectory() {
    return Optional.ofNullable(templateDirectory);
  }

  /** The one-tap links and Slack buttons it serves, or empty when it serves none. */
  public Optional<OneTap> oneTap() {
    return Optional.ofNullable(oneTap);
  }

  /** Where the runs list's template form adds schedules, or empty when scheduling is not offered there. */
  public Optional<dev.orchestrator.core.schedule.Scheduling> scheduling() {
    return Optional.ofNullable(scheduling);
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.oneTap = oneTap;
    b.host = host;
    b.port = port;
    b.accessToken = accessToken;
    b.projects.addAll(projects);
    b.defaultProject = defaultProject;
    b.planningContext = planningContext;
    b.llmPlanner = llmPlanner;
    b.templateDirectory = templateDirectory;
    b.scheduling = scheduling;
    return b;
  }

  @Override
  public String toString() {
    return "DashboardOptions[host=" + host + ", port=" + port + ", accessToken=" + (accessToken == null ? "none" : "***")
        + ", projects=" + projects + ", defaultProject=" + defaultProject + ", planning="
        + (planningContext == null ? "off" : "on") + "]";
  }

  /**
   * Configures {@link DashboardOptions}. Mutable and not thread-safe; {@link #build()} copies, so reusing a builder
   * never changes options already built.
   */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port;
    private @Nullable String accessToken;
    private final List<String> projects = new ArrayList<>();
    private @Nullable String defaultProject;
    private @Nullable PlanningContext planningContext;
    private @Nullable WorkflowPlanner llmPlanner;
    private @Nullable Path templateDirectory;
    private @Nullable OneTap oneTap;
    private dev.orchestrator.core.schedule.@Nullable Scheduling scheduling;

    Builder() {}

    /**
     * Serves the signed one-tap links that notifications carry (approve, reject, answer; no login beyond the link)
     * and, with a Slack signing secret, Slack's button clicks; none by default.
     */
    public Builder oneTap(OneTap oneTap) {
      this.oneTap = Objects.requireNonNull(oneTap, "oneTap");
      return this;
    }

    /**
     * The host name or address to bind, such as {@code 127.0.0.1}, {@code localhost}, {@code 0.0.0.0} (every
     * interface) or one interface's address. Anything but a loopback address needs an {@link #accessToken}.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank (was " + (host == null ? "null" : "'" + host + "'")
            + "): use 127.0.0.1 for this machine only, or 0.0.0.0 with an access token");
      }
      this.host = host.trim();
      return this;
    }

    /**
     * The port to bind; 0 picks any free one (read it back from {@link Dashboard#url()}).
     *
     * @throws IllegalArgumentException when outside 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be within 0..65535, 0 for any free port (was " + port + ")");
      }
      this.port = port;
      return this;
    }

    /**
     * The secret every request must present (as {@code Authorization: Bearer <token>}, or once as
     * {@code ?token=<token>} in the browser, which swaps it for a session cookie). Required when the host is not a
     * loopback address; optional, but honoured, on loopback.
     *
     * @throws IllegalArgumentException when shorter than {@value #MIN_TOKEN_LENGTH} characters or with spaces
     */
    public Builder accessToken(String token) {
      if (token == null || token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
        // The token itself is never echoed: only its length.
        throw new IllegalArgumentException("accessToken must be at least " + MIN_TOKEN_LENGTH
            + " printable ASCII characters without spaces (was " + (token == null ? "null" : token.length()
            + " characters") + "): generate one, for example with `openssl rand -hex 24`");
      }
      this.accessToken = token;
      return this;
    }

    /**
     * The projects the dashboard shows, in the switcher's order; requests for any other project are refused. None
     * (the default) shows every project the orchestrator has a run in.
     *
     * @throws IllegalArgumentException when a name is not a valid project name
     */
    public Builder projects(String... names) {
      return projects(List.of(names));
    }

    /** The projects the dashboard shows; see {@link #projects(String...)}. */
    public Builder projects(List<String> names) {
      Objects.requireNonNull(names, "names");
      LinkedHashSet<String> set = new LinkedHashSet<>(projects);
      for (String n : names) {
        set.add(checkProject("projects", n));
      }
      projects.clear();
      projects.addAll(set);
      return this;
    }

    /**
     * The project shown when the page opens; the first of {@link #projects} (or of the orchestrator's) by default.
     *
     * @throws IllegalArgumentException when not a valid project name
     */
    public Builder defaultProject(String name) {
      this.defaultProject = checkProject("defaultProject", name);
      return this;
    }

    /**
     * Turns on the "Describe a workflow" box: a request in words is planned (by the {@link
     * dev.orchestrator.templates.plan.OfflinePlanner} unless the page asks for the {@link #llmPlanner}), dry-run in
     * the selected project, and then run or saved. Plans use only the instances of this context, and command-line
     * agents only when it allows them. Name the orchestrator's own instances with their types: the planner reads
     * provider words such as "ChatGPT" through the types. Off by default, because the dashboard cannot tell a
     * command-line agent from an AI provider by its name.
     *
     * <pre>{@code
     * .planningContext(PlanningContext.builder().provider("claude", "anthropic").provider("chatgpt", "openai").build())
     * }</pre>
     */
    public Builder planningContext(PlanningContext context) {
      this.planningContext = Objects.requireNonNull(context, "planningContext");
      return this;
    }

    /**
     * The planner used when the page asks for the LLM planner, such as a {@link
     * dev.orchestrator.templates.plan.LlmPlanner} that submits its planning call to this orchestrator. None by
     * default: the box then offers only the offline planner.
     */
    public Builder llmPlanner(WorkflowPlanner planner) {
      this.llmPlanner = Objects.requireNonNull(planner, "llmPlanner");
      return this;
    }

    /**
     * Where "Save as template" writes a plan as {@code <name>.json} (a template library's user directory). It never
     * overwrites: a name already used there or by a built-in template is refused. None by default: saving is then
     * not offered.
     */
    public Builder templateDirectory(Path directory) {
      this.templateDirectory = Objects.requireNonNull(directory, "templateDirectory");
      return this;
    }

    /**
     * The schedules of the application (the same {@link dev.orchestrator.core.schedule.Scheduling} its workers fire),
     * so that the runs list's template form can schedule a template with a cron expression as well as start it. None
     * by default: the form then only starts runs.
     */
    public Builder scheduling(dev.orchestrator.core.schedule.Scheduling scheduling) {
      this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
      return this;
    }

    /**
     * Builds the options.
     *
     * @throws IllegalArgumentException when the host cannot be resolved
     * @throws IllegalStateException when the host is not a loopback address and no access token is set, or the
     *     default project is not among the listed projects
     */
    public DashboardOptions build() {
      boolean loopback = isLoopback(host);
      if (!loopback && accessToken == null) {
        throw new IllegalStateException("the dashboard refuses to listen on '" + host + "' without an access token: "
            + "anyone who can reach that address could steer your runs. Set accessToken(...) (at least "
            + MIN_TOKEN_LENGTH + " characters), or bind to 127.0.0.1");
      }
      if (defaultProject != null && !projects.isEmpty() && !projects.contains(defaultProject)) {
        throw new IllegalStateException("defaultProject '" + defaultProject + "' is not among projects " + projects
            + ": add it to projects(...) or pick one of them");
      }
      if ((llmPlanner != null || templateDirectory != null) && planningContext == null) {
        throw new IllegalStateException("llmPlanner and templateDirectory belong to the \"Describe a workflow\" box,"
            + " which is off without planningContext(...): set it, naming the instances plans may use");
      }
      return new DashboardOptions(this, loopback);
    }

    private static boolean isLoopback(String host) {
      String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      try {
        return InetAddress.getByName(h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("host '" + host + "' cannot be resolved: use an address such as 127.0.0.1 "
            + "or a name this machine resolves", e);
      }
    }

    private static String checkProject(String field, @Nullable String name) {
      if (name == null || !PROJECT.matcher(name).matches()) {
        throw new IllegalArgumentException(field + " must be project names of 1 to 100 letters, digits, spaces, "
            + "'_', '.' or '-', starting with a letter or digit (was " + (name == null ? "null" : "'" + name + "'") + ")");
      }
      return name;
    }
  }
}
