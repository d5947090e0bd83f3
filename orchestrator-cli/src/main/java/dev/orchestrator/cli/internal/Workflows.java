package dev.orchestrator.cli.internal;

import dev.orchestrator.templates.BoundTemplate;
import dev.orchestrator.templates.InvalidParameterException;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateLibrary;
import dev.orchestrator.templates.TemplateNotFoundException;
import dev.orchestrator.workflow.InvalidWorkflowException;
import dev.orchestrator.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
      try {
        return Template.read(file);
      } catch (InvalidTemplateException e) {
        throw CliException.wrap(e, ExitCodes.USAGE, "workflow.invalid", file, e.getMessage());
      }
    }
    try {
      return library(cli).require(source);
    } catch (TemplateNotFoundException e) {
      throw CliException.wrap(e, ExitCodes.NOT_FOUND, "template.notFound", source, e.getMessage());
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
