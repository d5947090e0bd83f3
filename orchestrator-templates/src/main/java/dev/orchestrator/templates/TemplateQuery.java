package dev.orchestrator.templates;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What to look for with {@link TemplateLibrary#search(TemplateQuery)}: every given criterion must hold.
 * Matching ignores case. Immutable and thread-safe.
 *
 * <pre>{@code
 * library.search(TemplateQuery.builder().category("marketing").tag("email").build());
 * library.search(TemplateQuery.text("launch announcement"));
 * }</pre>
 *
 * @param category the category the template must be in, or null for any
 * @param tag a tag the template must have, or null for any
 * @param text words that must each occur in the id, name, description, category or a tag, or null
 */
public record TemplateQuery(@Nullable String category, @Nullable String tag, @Nullable String text) {
  public TemplateQuery {
    category = normalise(category);
    tag = normalise(tag);
    text = normalise(text);
  }

  private static @Nullable String normalise(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
  }

  /** Words to look for anywhere. */
  public static TemplateQuery text(String words) {
    return new TemplateQuery(null, null, words);
  }

  /** Starts a query with several criteria. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether a template meets every criterion. */
  public boolean matches(Template t) {
    if (category != null && !t.category().equalsIgnoreCase(category)) {
      return false;
    }
    if (tag != null && t.tags().stream().noneMatch(x -> x.equalsIgnoreCase(tag))) {
      return false;
    }
    if (text != null) {
      String hay = (t.id() + " " + t.name() + " " + t.description() + " " + t.category() + " "
          + String.join(" ", t.tags())).toLowerCase(Locale.ROOT);
      for (String word : text.split("\\s+")) {
        if (!hay.contains(word)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Builds a {@link TemplateQuery}. Mutable and not thread-safe. */
  public static final class Builder {
    private @Nullable String category;
    private @Nullable String tag;
    private @Nullable String text;

    Builder() {}

    /** The category the template must be in. */
    public Builder category(String category) {
      this.category = category;
      return this;
    }

    /** A tag the template must have. */
    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    /** Words that must each occur in the id, name, description, category or a tag. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    public TemplateQuery build() {
      return new TemplateQuery(category, tag, text);
    }
  }
}
