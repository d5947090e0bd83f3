package dev.orchestrator.templates;

import dev.orchestrator.templates.internal.BuiltInTemplateSource;
import dev.orchestrator.templates.internal.Similarity;
import dev.orchestrator.templates.internal.TemplateParser;
import dev.orchestrator.templates.spi.TemplateDocument;
import dev.orchestrator.templates.spi.TemplateSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The templates a user can choose from, gathered from several sources, listed and searched by category, name
 * and tag.
 *
 * <h2>Sources and precedence</h2>
 * Templates are keyed by id (a file's name without {@code .json}). When two sources hold the same id, the one
 * first in this order wins and the other is reported by {@link #shadowed()} (see {@link SourceKind}):
 * <ol>
 *   <li>files named with {@link Builder#file(Path)}, in the order given;
 *   <li>the user's directory, {@code custom/user_templates} by default, read recursively in path order; a file's
 *       first folder is its category, files below {@code projects/} are project templates;
 *   <li>sources registered with {@link Builder#source(TemplateSource)}, in the order given;
 *   <li>template packs discovered through {@link ServiceLoader}, by descending
 *       {@link TemplateSource#priority()}, then by id;
 *   <li>the built-in library.
 * </ol>
 * A document that is not a valid template is skipped and reported by {@link #problems()}, as is a source that
 * fails, except that a file named explicitly must load: its problems are thrown. Project templates follow the
 * same rules.
 *
 * <p>The library reads everything when built and never changes afterwards: build a new one to see new files.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * TemplateLibrary library = TemplateLibrary.builder()
 *     .userDirectory(Path.of("templates/custom/user_templates"))
 *     .build();
 * library.shadowed().forEach(s -> System.err.println(s));
 * for (Template t : library.search(TemplateQuery.builder().category("marketing").build())) { ... }
 * }</pre>
 */
public final class TemplateLibrary {
  /** Where {@link #ofDefaults()} looks for the user's own templates, relative to the working directory. */
  public static final Path DEFAULT_USER_DIRECTORY = Path.of("custom", "user_templates");

  private static final int MAX_DEPTH = 5;

  private final Map<String, Template> templates;
  private final Map<String, ProjectTemplate> projects;
  private final List<ShadowedTemplate> shadowed;
  private final List<LoadProblem> problems;

  private TemplateLibrary(Map<String, Template> templates, Map<String, ProjectTemplate> projects,
      List<ShadowedTemplate> shadowed, List<LoadProblem> problems) {
    this.templates = templates;
    this.projects = projects;
    this.shadowed = shadowed;
    this.problems = problems;
  }

  /** The built-in library, the user's directory {@code custom/user_templates} and every discovered pack. */
  public static TemplateLibrary ofDefaults() {
    return builder().build();
  }

  /** Only the built-in library: no user directory, no discovery. */
  public static TemplateLibrary builtIn() {
    return builder().noUserDirectory().discover(false).build();
  }

  /** Starts a library with the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Every template, by category and then id. */
  public List<Template> list() {
    return List.copyOf(templates.values());
  }

  /** The templates of one category (ignoring case), by id. */
  public List<Template> list(String category) {
    return search(TemplateQuery.builder().category(category).build());
  }

  /** The categories that have templates, sorted. */
  public Set<String> categories() {
    Set<String> c = new TreeSet<>();
    templates.values().forEach(t -> c.add(t.category()));
    return Collections.unmodifiableSet(c);
  }

  /** Every tag used, in lower case, sorted. */
  public Set<String> tags() {
    Set<String> c = new TreeSet<>();
    templates.values().forEach(t -> t.tags().forEach(tag -> c.add(tag.toLowerCase(Locale.ROOT))));
    return Collections.unmodifiableSet(c);
  }

  /** The templates in which each of the words occurs (id, name, description, category or tags). */
  public List<Template> search(String words) {
    return search(TemplateQuery.text(words));
  }

  /** The templates that match the query, by category and then id. */
  public List<Template> search(TemplateQuery query) {
    List<Template> out = new ArrayList<>();
    for (Template t : templates.values()) {
      if (query.matches(t)) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** The template with this id, if any. */
  public Optional<Template> get(String id) {
    return Optional.ofNullable(templates.get(id));
  }

  /**
   * The template with this id, {@code category/id}, or display name (ignoring case).
   *
   * @throws TemplateNotFoundException suggesting similar ids when there is none
   */
  public Template require(String idOrName) {
    String key = idOrName.trim();
    Template t = templates.get(key);
    if (t == null && key.contains("/")) {
      Template c = templates.get(key.substring(key.lastIndexOf('/') + 1));
      if (c != null && c.category().equalsIgnoreCase(key.substring(0, key.lastIndexOf('/')))) {
        t = c;
      }
    }
    if (t == null) {
      for (Template c : templates.values()) {
        if (c.name().equalsIgnoreCase(key)) {
          t = c;
          break;
        }
      }
    }
    if (t == null) {
      throw new TemplateNotFoundException(idOrName, Similarity.close(key, templates.keySet(), 3));
    }
    return t;
  }

  /** Every project template, by id. */
  public List<ProjectTemplate> projectTemplates() {
    return List.copyOf(projects.values());
  }

  /** The project template with this id, if any. */
  public Optional<ProjectTemplate> projectTemplate(String id) {
    return Optional.ofNullable(projects.get(id));
  }

  /**
   * Resolves a project template and the workflow templates it installs: the one-step configuration of a new
   * project.
   *
   * @param projectName the new project's name
   * @param projectTemplateId the id of a project template
   * @throws TemplateNotFoundException when the project template, or a workflow template it lists, is missing
   */
  public ProjectSetup setUpProject(String projectName, String projectTemplateId) {
    ProjectTemplate p = projects.get(projectTemplateId);
    if (p == null) {
      throw new TemplateNotFoundException(projectTemplateId, Similarity.close(projectTemplateId, projects.keySet(), 3));
    }
    List<Template> workflows = new ArrayList<>();
    for (String w : p.workflows()) {
      workflows.add(require(w));
    }
    return new ProjectSetup(projectName, p, workflows);
  }

  /** Templates that lost to another with the same id, in the order found. */
  public List<ShadowedTemplate> shadowed() {
    return shadowed;
  }

  /** Documents and sources that were skipped, and why. */
  public List<LoadProblem> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "TemplateLibrary[" + templates.size() + " templates, " + projects.size() + " project templates, "
        + shadowed.size() + " shadowed, " + problems.size() + " problems]";
  }

  /**
   * Builds a {@link TemplateLibrary}. Mutable and not thread-safe; {@link #build()} reads every source.
   */
  public static final class Builder {
    private @Nullable Path userDirectory = DEFAULT_USER_DIRECTORY;
    private final List<Path> files = new ArrayList<>();
    private final List<Path> projectFiles = new ArrayList<>();
    private final List<TemplateSource> sources = new ArrayList<>();
    private boolean discover = true;
    private boolean builtIns = true;
    private @Nullable ClassLoader classLoader;

    Builder() {}

    /** The user's template directory; {@code custom/user_templates} by default. It need not exist. */
    public Builder userDirectory(Path directory) {
      this.userDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Reads no user directory. */
    public Builder noUserDirectory() {
      this.userDirectory = null;
      return this;
    }

    /** A workflow template file that must load; it wins over every other source. */
    public Builder file(Path file) {
      files.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /**
     * A workflow template at a {@code file:} URI.
     *
     * @throws IllegalArgumentException for any other scheme: templates are read from the local disk only
     */
    public Builder uri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      if (!"file".equalsIgnoreCase(uri.getScheme())) {
        throw new IllegalArgumentException("template URI must be a local file: URI (was '" + uri
            + "'): download the template first and name the file");
      }
      return file(Path.of(uri));
    }

    /** A project template file that must load. */
    public Builder projectFile(Path file) {
      projectFiles.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /** A source to read; registered sources win over discovered packs and the built-in library. */
    public Builder source(TemplateSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** Whether to discover template packs through {@link ServiceLoader}; true by default. */
    public Builder discover(boolean discover) {
      this.discover = discover;
      return this;
    }

    /** Whether to include the built-in library; true by default. */
    public Builder builtIns(boolean builtIns) {
      this.builtIns = builtIns;
      return this;
    }

    /** The class loader that discovery uses; the thread's context class loader by default. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Reads every source.
     *
     * @throws InvalidTemplateException when an explicitly named file is not a valid template
     * @throws UncheckedIOException when an explicitly named file cannot be read
     * @throws IllegalStateException when two discovered packs have the same id (the message names both classes)
     */
    public TemplateLibrary build() {
      Loading loading = new Loading();
      for (Path f : files) {
        loading.add(Template.read(f));
      }
      for (Path f : projectFiles) {
        loading.add(ProjectTemplate.read(f));
      }
      if (userDirectory != null) {
        loading.documents(SourceKind.USER_DIRECTORY, "user", userDirectory.toString(),
            () -> directory(userDirectory, loading.problems));
      }
      Set<String> registered = new LinkedHashSet<>();
      for (TemplateSource s : sources) {
        registered.add(s.id());
        loading.source(SourceKind.REGISTERED, s);
      }
      if (discover) {
        for (TemplateSource s : discovered(loading)) {
          if (!registered.contains(s.id())) {
            loading.source(SourceKind.PACK, s);
          }
        }
      }
      if (builtIns) {
        loading.source(SourceKind.BUILT_IN, new BuiltInTemplateSource());
      }
      return loading.finish();
    }

    private List<TemplateSource> discovered(Loading loading) {
      ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
      ServiceLoader<TemplateSource> loader = ServiceLoader.load(TemplateSource.class, cl);
      Iterator<TemplateSource> it = loader.iterator();
      Map<String, TemplateSource> byId = new TreeMap<>();
      // A broken provider throws from hasNext()/next() and the iterator moves past it; the bound guards
      // against an iterator that keeps failing.
      for (int guard = 0; guard < 10_000; guard++) {
        TemplateSource s;
        try {
          if (!it.hasNext()) {
            break;
          }
          s = it.next();
        } catch (ServiceConfigurationError e) {
          loading.problems.add(new LoadProblem("template pack", List.of("could not be loaded and was skipped: "
              + e.getMessage())));
          continue;
        }
        if (s instanceof BuiltInTemplateSource) {
          continue;
        }
        String id;
        try {
          id = s.id();
        } catch (RuntimeException e) {
          loading.problems.add(new LoadProblem(s.getClass().getName(), List.of("id() failed: " + e)));
          continue;
        }
        TemplateSource other = byId.putIfAbsent(id, s);
        if (other != null) {
          throw new IllegalStateException("two template packs use the id '" + id + "': "
              + other.getClass().getName() + " and " + s.getClass().getName()
              + ": give each its own id or remove one jar from the class path");
        }
      }
      List<TemplateSource> list = new ArrayList<>(byId.values());
      list.sort(Comparator.comparingInt((TemplateSource s) -> -s.priority()).thenComparing(TemplateSource::id));
      return list;
    }

    private static List<TemplateDocument> directory(Path root, List<LoadProblem> problems) {
      if (!Files.isDirectory(root)) {
        return List.of();
      }
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
        paths = walk.filter(Files::isRegularFile)
            .filter(p -> p.getFileName().toString().endsWith(".json"))
            .filter(p -> !root.relativize(p).toString().startsWith(".")
                && !p.getFileName().toString().startsWith("."))
            .sorted(Comparator.comparing(p -> root.relativize(p).toString().replace('\\', '/')))
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the template directory " + root, e);
      }
      List<TemplateDocument> docs = new ArrayList<>();
      for (Path p : paths) {
        Path rel = root.relativize(p);
        String category = rel.getNameCount() > 1 ? rel.getName(0).toString() : null;
        String id = TemplateParser.idFromFileName(p.getFileName().toString());
        String content;
        try {
          content = TemplateParser.readFile(p);
        } catch (IOException e) {
          problems.add(new LoadProblem(p.toString(), List.of("cannot be read and was skipped: " + e.getMessage())));
          continue;
        }
        docs.add("projects".equals(category)
            ? TemplateDocument.project(id, p.toString(), content)
            : TemplateDocument.workflow(id, category, p.toString(), content));
      }
      return docs;
    }
  }

  /** The state of one {@link Builder#build()}. */
  private static final class Loading {
    final Map<String, Template> templates = new LinkedHashMap<>();
    final Map<String, ProjectTemplate> projects = new LinkedHashMap<>();
    final List<ShadowedTemplate> shadowed = new ArrayList<>();
    final List<LoadProblem> problems = new ArrayList<>();

    void add(Template t) {
      Template winner = templates.get(t.id());
      if (winner != null) {
        shadowed.add(new ShadowedTemplate(t.id(), winner.origin(), t.origin()));
      } else {
        templates.put(t.id(), t);
      }
    }

    void add(ProjectTemplate p) {
      ProjectTemplate winner = projects.get(p.id());
      if (winner != null) {
        shadowed.add(new ShadowedTemplate(p.id(), winner.origin(), p.origin()));
      } else {
        projects.put(p.id(), p);
      }
    }

    void source(SourceKind kind, TemplateSource s) {
      String id;
      try {
        id = s.id();
      } catch (RuntimeException e) {
        problems.add(new LoadProblem(s.getClass().getName(), List.of("id() failed and the source was skipped: " + e)));
        return;
      }
      documents(kind, id, s.getClass().getName(), s::documents);
    }

    void documents(SourceKind kind, String sourceId, String sourceLocation,
        java.util.function.Supplier<List<TemplateDocument>> supplier) {
      List<TemplateDocument> docs;
      try {
        docs = supplier.get();
      } catch (RuntimeException e) {
        problems.add(new LoadProblem(sourceLocation, List.of("template source '" + sourceId
            + "' failed and was skipped: " + e.getMessage())));
        return;
      }
      for (TemplateDocument d : docs) {
        TemplateOrigin origin = new TemplateOrigin(kind, sourceId, d.location());
        try {
          if (d.kind() == TemplateDocument.Kind.PROJECT) {
            add(ProjectTemplate.parse(d.content(), origin, d.id()));
          } else {
            add(Template.parse(d.content(), origin, TemplateParser.idFromFileName(d.id()), d.category()));
          }
        } catch (InvalidTemplateException e) {
          problems.add(new LoadProblem(d.location(), e.problems()));
        }
      }
    }

    TemplateLibrary finish() {
      for (ProjectTemplate p : projects.values()) {
        List<String> missing = new ArrayList<>();
        for (String w : p.workflows()) {
          if (!templates.containsKey(w)) {
            missing.add("workflows lists '" + w + "', which is not in the library: add the template or fix the id");
          }
        }
        if (!missing.isEmpty()) {
          problems.add(new LoadProblem(p.origin().location(), missing));
        }
      }
      List<Template> sorted = new ArrayList<>(templates.values());
      sorted.sort(Comparator.comparing(Template::category).thenComparing(Template::id));
      Map<String, Template> byId = new LinkedHashMap<>();
      sorted.forEach(t -> byId.put(t.id(), t));
      return new TemplateLibrary(Collections.unmodifiableMap(byId),
          Collections.unmodifiableMap(new TreeMap<>(projects)), List.copyOf(shadowed), List.copyOf(problems));
    }
  }
}
