package dev.orchestrator.cli.internal;

import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.LoadProblem;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateNotFoundException;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns {@code <template | workflow.json>} and {@code --param k=v} into a workflow. */
final class Workflows {
  private Workflows() {}

  /** The template library: built-ins, packs, and {@code <data dir>/templates}. */
  static TemplateLibrary library(Cli cli) {
    return TemplateLibrary.builder().userDirectory(cli.dataDir().resolve("templates")).build();
  }

  /** A template by library id or name, or read from a JSON file when {@code source} is a file. */
  static Template template(Cli cli, String source) {
    Path file = Path.of(source);
    if (source.endsWith(".json") || Files.isRegularFile(file)) {
      if (!Files.isRegularFile(file)) {
        throw CliException.of(ExitCodes.NOT_FOUND, "workflow.noFile", file.toAbsolutePath());
      }
      requireUtf8(file);
      try {
        return Template.read(file);
      } catch (InvalidTemplateException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "workflow.invalid", file, e.getMessage());
      } catch (java.io.UncheckedIOException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "workflow.unreadable", file, e.getCause().getMessage());
      }
    }
    TemplateLibrary library = library(cli);
    try {
      return library.require(source);
    } catch (TemplateNotFoundException e) {
      // A template of your own that does not load is not "missing": say what is wrong with it.
      LoadProblem broken = problemOf(library, source);
      if (broken != null) {
        throw CliException.wrap(e, ExitCodes.USAGE, "template.broken", Texts.cut(source), broken.location(),
            describe(broken));
      }
      throw CliException.wrap(e, ExitCodes.NOT_FOUND, "template.notFound", Texts.cut(source),
          Texts.cutIn(e.getMessage(), source));
    }
  }

  /** The load problem of a document whose file name gives the id {@code id}, or null. */
  static @Nullable LoadProblem problemOf(TemplateLibrary library, String id) {
    String wanted = id.trim().toLowerCase(java.util.Locale.ROOT);
    for (LoadProblem p : library.problems()) {
      String file = Path.of(p.location()).getFileName() == null ? "" : Path.of(p.location()).getFileName().toString();
      String stem = file.endsWith(".json") ? file.substring(0, file.length() - 5) : file;
      if (stem.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "_").equals(wanted)) {
        return p;
      }
    }
    return null;
  }

  /** What is wrong with a document the library skipped, in one line (a file that is not UTF-8 says so). */
  static String describe(LoadProblem p) {
    Path file = Path.of(p.location());
    if (Files.isRegularFile(file) && !isUtf8(file)) {
      return Messages.get("file.notUtf8Short");
    }
    return String.join("; ", p.problems());
  }

  /** Refuses a file that is not UTF-8 text, naming it, before a parser reports "Input length = 1". */
  static void requireUtf8(Path file) {
    if (!isUtf8(file)) {
      throw CliException.of(ExitCodes.USAGE, "file.notUtf8", file.toAbsolutePath());
    }
  }

  static boolean isUtf8(Path file) {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    } catch (java.io.IOException e) {
      // Not readable at all: the reader says why.
      return true;
    }
  }

  /** The workflow with the parameter values; a wrong or missing value names the parameter. */
  static Workflow instantiate(Template t, Map<String, String> params) {
    return bind(t, params).workflow();
  }

  static BoundTemplate bind(Template t, Map<String, String> params) {
    try {
      return t.bind(params);
    } catch (InvalidParameterException | InvalidWorkflowException e) {
      throw CliException.wrap(e, ExitCodes.USAGE, "workflow.params", t.id(), e.getMessage());
    }
  }
}
