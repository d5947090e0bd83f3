package dev.orchestrator.templates.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TemplateSource} that reads JSON documents from the class path, below a root folder. Because a jar
 * cannot be listed portably, the root holds an index, {@code templates.list}: one path per line relative to the
 * root, {@code #} starting a comment.
 *
 * <pre>
 * com/acme/templates/templates.list
 *   marketing/webinar_funnel.json      # workflow template, category "marketing"
 *   projects/agency_client.json        # project template (anything under projects/)
 * </pre>
 *
 * <p>A document's id is its file name without {@code .json}; its category is its first folder. Files under
 * {@code projects/} are project templates. Subclass it with a public no-argument constructor to publish a pack
 * through {@link java.util.ServiceLoader}, or create one with {@link #of}. Thread-safe.
 */
public class ClasspathTemplateSource implements TemplateSource {
  /** The name of the index file below the root. */
  public static final String INDEX = "templates.list";

  private final String id;
  private final String root;
  private final int priority;
  private final ClassLoader loader;

  /**
   * For subclasses published as packs: resources are read with the subclass's class loader.
   *
   * @param id the source id
   * @param root the root folder on the class path, such as {@code com/acme/templates}
   */
  protected ClasspathTemplateSource(String id, String root) {
    this(id, root, 0, null);
  }

  private ClasspathTemplateSource(String id, String root, int priority, @Nullable ClassLoader loader) {
    this.id = requireText("id", id);
    String r = requireText("root", root).replace('\\', '/');
    while (r.startsWith("/")) {
      r = r.substring(1);
    }
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    this.root = r;
    this.priority = priority;
    this.loader = loader != null ? loader : getClass().getClassLoader();
  }

  /**
   * A source reading below {@code root} with {@code loader}.
   *
   * @param priority see {@link TemplateSource#priority()}
   */
  public static ClasspathTemplateSource of(String id, String root, int priority, ClassLoader loader) {
    return new ClasspathTemplateSource(id, root, priority, Objects.requireNonNull(loader, "loader"));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int priority() {
    return priority;
  }

  /** The root folder on the class path. */
  public String root() {
    return root;
  }

  @Override
  public List<TemplateDocument> documents() {
    String index = root + "/" + INDEX;
    String list = read(index);
    if (list == null) {
      throw new UncheckedIOException(new IOException("template source '" + id + "' has no index " + index
          + " on the class path: list its templates there, one path a line"));
    }
    List<TemplateDocument> docs = new ArrayList<>();
    for (String line : list.split("\\R")) {
      int hash = line.indexOf('#');
      String path = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (path.isEmpty()) {
        continue;
      }
      String resource = root + "/" + path;
      String content = read(resource);
      if (content == null) {
        throw new UncheckedIOException(new IOException("template source '" + id + "' lists " + path + " in "
            + index + " but there is no resource " + resource + ": fix the index"));
      }
      String[] parts = path.split("/");
      String file = parts[parts.length - 1];
      String docId = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
      String category = parts.length > 1 ? parts[0] : null;
      URL url = loader.getResource(resource);
      String location = url != null ? url.toString() : "classpath:" + resource;
      docs.add("projects".equals(category)
          ? TemplateDocument.project(docId, location, content)
          : TemplateDocument.workflow(docId, category, location, content));
    }
    return List.copyOf(docs);
  }

  private @Nullable String read(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " of template source '" + id + "'", e);
    }
  }

  private static String requireText(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank (was " + (value == null ? "null" : "'" + value + "'") + ")");
    }
    return value;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id + ", classpath:" + root + "]";
  }
}
