package dev.orchestrator.providers.http;

import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.ExpectedOutput;
import org.jspecify.annotations.Nullable;

/** How the parts of a request become message text, the same way for every provider. */
public final class Prompts {
  private Prompts() {}

  /** The user message: the prompt, followed by the expected output when it is described in words. */
  public static String user(ProviderRequest request) {
    ExpectedOutput expected = request.expectedOutput();
    if (expected != null && expected.kind() == ExpectedOutput.Kind.TEXT) {
      return request.prompt() + "\n\nExpected output: " + expected.content();
    }
    return request.prompt();
  }

  /** The JSON schema the reply must satisfy, or null. */
  public static @Nullable String schema(ProviderRequest request) {
    ExpectedOutput expected = request.expectedOutput();
    return expected != null && expected.kind() == ExpectedOutput.Kind.JSON_SCHEMA ? expected.content() : null;
  }

  /**
   * The system prompt, with an instruction to answer in JSON appended when the request has a schema and the
   * provider has no native way to enforce it.
   */
  public static @Nullable String system(ProviderRequest request, boolean schemaInstruction) {
    String schema = schema(request);
    if (!schemaInstruction || schema == null) {
      return request.system();
    }
    String instruction = "Reply with a single JSON value and nothing else. It must satisfy this JSON schema:\n"
        + schema;
    return request.system() == null ? instruction : request.system() + "\n\n" + instruction;
  }
}
