package dev.orchestrator.providers;

import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.internal.cli.CliProvider;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;

/**
 * Creates {@code cli} providers: a command-line agent run as a child process per call, such as
 * {@code claude -p --output-format json}, {@code codex exec}, {@code gemini -p}, or any command.
 *
 * <p>Properties:
 * <ul>
 * <li>{@code command} (required): the command line, split like a shell splits plain words (quotes work; no
 *     variables, globs or pipes). An argument containing {@code {prompt}} receives the prompt
 * <li>{@code promptMode}: {@code stdin} (default) or {@code argument} (appended as the last argument)
 * <li>{@code workingDirectory} (default: this process's; a call whose {@code CallContext} names a working
 *     directory, such as a task's checkout in version control, runs there); {@code env.NAME}: extra environment
 *     variables
 * <li>{@code timeout} (default 10m; a task's own timeout wins): the process tree is destroyed when it passes
 * <li>{@code maxOutputBytes} (default 1 MiB): stdout plus stderr; checked every {@code checkInterval} (default 1s)
 *     and at exit; more destroys the process tree and fails the call
 * <li>{@code outputFormat}: {@code text} (default, stdout is the answer) or {@code json} (a result object such as
 *     Claude Code's: {@code result}, {@code usage}, {@code total_cost_usd})
 * <li>{@code exitCode.N}: the {@link dev.orchestrator.ErrorKind} an exit code means, such as {@code exitCode.2=AUTH};
 *     unmapped codes are classified from the error output (rate limit, overloaded, auth, server), else as
 *     {@code failureKind} (default {@code UNKNOWN}); 126 and 127 (not executable, not found) are
 *     {@code INVALID_REQUEST}
 * <li>{@code model}: prices the tokens a JSON result reports when it reports no dollars, and lets calls be
 *     estimated from the prompt's tokens; {@code price.*}, {@code pricingFile} as for the HTTP providers;
 *     {@code maxOutputTokens}: the output bound of that estimate (default 4096; when configured, it caps a task's
 *     larger value)
 * <li>{@code maxCostPerCall} (USD, such as {@code 0.50}): what a call is reserved at when it cannot be estimated (no
 *     priced model: the agent's cost is known only after the call). Without it such calls have an unknown estimate,
 *     and budgeted tasks are not started on them
 * </ul>
 *
 * <p>Cancelling a call destroys the process and all its descendants at once. Thread-safe; stateless.
 */
public final class CliProviderFactory implements ProviderFactory {
  /** The type id, {@value}. */
  public static final String TYPE = "cli";

  /** For {@link java.util.ServiceLoader}. */
  public CliProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  @Override
  public AiProvider create(PluginConfig config, PluginContext context) {
    return CliProvider.create(new Settings(config, context));
  }
}
