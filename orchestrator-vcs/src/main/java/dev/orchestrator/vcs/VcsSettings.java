package dev.orchestrator.vcs;

import dev.orchestrator.project.Project;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One project's version control: the repository its tasks change, the integration policy, the tasks whose text
 * output is written to a file, and which provider types change files.
 *
 * <p>Kept in the project's settings in the store ({@link #toSettings()}, {@link #fromProject(Project)}), so every
 * process that runs the project's tasks reads the same: {@code vcs.repository}, {@code vcs.integration}
 * ({@code merge} or {@code leave}), {@code vcs.providers} (comma-separated provider types, {@code cli} by default),
 * {@code vcs.output.<task>} (a path inside the repository) and {@code vcs.coAuthor} (a {@code Co-authored-by} line's
 * value; none by default).
 *
 * <pre>{@code
 * VcsSettings s = VcsSettings.builder(Path.of("/src/blog"))
 *     .integration(Integration.MERGE)
 *     .outputFile("publish", "blog/2026-12-06-tides.md")
 *     .build();
 * }</pre>
 *
 * @param repository the repository's top directory (its main worktree)
 * @param integration what happens to a task's branch
 * @param providerTypes the provider types whose tasks run in a worktree of their own ({@code cli} by default)
 * @param outputFiles task id to a path inside the repository, relative to its top directory
 * @param coAuthor a {@code Co-authored-by} trailer's value for every commit, or null for none
 * @since 0.1
 */
public record VcsSettings(Path repository, Integration integration, Set<String> providerTypes,
    Map<String, String> outputFiles, @Nullable String coAuthor) {
  /** The project setting naming the repository. */
  public static final String REPOSITORY = "vcs.repository";
  /** The project setting naming the integration policy. */
  public static final String INTEGRATION = "vcs.integration";
  /** The project setting naming the provider types that change files. */
  public static final String PROVIDERS = "vcs.providers";
  /** The prefix of the project settings naming a task's output file. */
  public static final String OUTPUT = "vcs.output.";
  /** The project setting naming a co-author. */
  public static final String CO_AUTHOR = "vcs.coAuthor";

  public VcsSettings {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(integration, "integration");
    providerTypes = Set.copyOf(providerTypes);
    Map<String, String> files = new LinkedHashMap<>();
    outputFiles.forEach((task, path) -> files.put(task, OutputPaths.check(task, path)));
    outputFiles = Map.copyOf(files);
  }

  /** Starts settings for {@code repository}: merge, {@code cli} tasks, no output file, no co-author. */
  public static Builder builder(Path repository) {
    return new Builder(repository);
  }

  /**
   * The settings a project's stored settings hold, or empty when it names no repository.
   *
   * @throws IllegalArgumentException when a setting is not valid; the message names it, its value and the fix
   */
  public static Optional<VcsSettings> fromProject(Project project) {
    return fromMap(project.settings());
  }

  /**
   * The settings in a map of project settings, or empty when it names no repository.
   *
   * @throws IllegalArgumentException when a setting is not valid
   */
  public static Optional<VcsSettings> fromMap(Map<String, String> settings) {
    String repo = settings.get(REPOSITORY);
    if (repo == null || repo.isBlank()) {
      return Optional.empty();
    }
    Builder b = builder(Path.of(repo.strip()));
    String integration = settings.get(INTEGRATION);
    if (integration != null) {
      b.integration(parseIntegration(integration));
    }
    String providers = settings.get(PROVIDERS);
    if (providers != null) {
      Set<String> types = new LinkedHashSet<>();
      for (String t : providers.split(",")) {
        if (!t.isBlank()) {
          types.add(t.strip().toLowerCase(Locale.ROOT));
        }
      }
      b.providerTypes = types;
    }
    settings.forEach((k, v) -> {
      if (k.startsWith(OUTPUT)) {
        b.outputFile(k.substring(OUTPUT.length()), v);
      }
    });
    String co = settings.get(CO_AUTHOR);
    if (co != null && !co.isBlank()) {
      b.coAuthor(co.strip());
    }
    return Optional.of(b.build());
  }

  /**
   * Reads {@code merge} or {@code leave}, in any case.
   *
   * @throws IllegalArgumentException for anything else, naming the value and the choices
   */
  public static Integration parseIntegration(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "merge" -> Integration.MERGE;
      case "leave" -> Integration.LEAVE;
      default -> throw new IllegalArgumentException(INTEGRATION + " must be merge or leave (was '" + text
          + "'): merge integrates each task's branch into the run's branch, leave keeps them for review");
    };
  }

  /** These settings as project settings, to store with the project ({@link Project#withSettings(Map)}). */
  public Map<String, String> toSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(REPOSITORY, repository.toString());
    m.put(INTEGRATION, integration.name().toLowerCase(Locale.ROOT));
    m.put(PROVIDERS, String.join(",", providerTypes.stream().sorted().toList()));
    outputFiles.forEach((task, path) -> m.put(OUTPUT + task, path));
    if (coAuthor != null) {
      m.put(CO_AUTHOR, coAuthor);
    }
    return m;
  }

  /** Whether a task on a provider of {@code providerType} runs in a worktree of its own. */
  public boolean manages(String taskId, String providerType) {
    return outputFiles.containsKey(taskId) || providerTypes.contains(providerType.toLowerCase(Locale.ROOT));
  }

  /** Builds {@link VcsSettings}. Mutable and not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private final Path repository;
    private Integration integration = Integration.MERGE;
    private Set<String> providerTypes = new LinkedHashSet<>(Set.of("cli"));
    private final Map<String, String> outputFiles = new LinkedHashMap<>();
    private @Nullable String coAuthor;

    private Builder(Path repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** The integration policy; {@link Integration#MERGE} by default. */
    public Builder integration(Integration integration) {
      this.integration = Objects.requireNonNull(integration, "integration");
      return this;
    }

    /** The provider types whose tasks change files; {@code cli} by default. */
    public Builder providerTypes(String... types) {
      Set<String> s = new LinkedHashSet<>();
      for (String t : types) {
        s.add(t.strip().toLowerCase(Locale.ROOT));
      }
      this.providerTypes = s;
      return this;
    }

    /**
     * Writes the text output of {@code taskId} to {@code path} (inside the repository) and commits it.
     *
     * @throws IllegalArgumentException when the path is absolute, leaves the repository or points into {@code .git}
     */
    public Builder outputFile(String taskId, String path) {
      outputFiles.put(Objects.requireNonNull(taskId, "taskId"), OutputPaths.check(taskId, path));
      return this;
    }

    /** A {@code Co-authored-by} trailer's value (such as {@code Name <mail>}) for every commit; none by default. */
    public Builder coAuthor(String coAuthor) {
      this.coAuthor = Objects.requireNonNull(coAuthor, "coAuthor");
      return this;
    }

    /** The settings. */
    public VcsSettings build() {
      return new VcsSettings(repository, integration, providerTypes, outputFiles, coAuthor);
    }
  }
}
