/**
 * For application developers: notifications of what happens in projects, by e-mail, Slack, Discord, SMS and
 * signed JSON webhooks.
 *
 * <p>Attach a {@link dev.orchestrator.notifiers.NotificationListener} to the engine. It maps events to rule names
 * ({@code task_failed}, {@code run_completed}, ...), matches them against each project's rules from a
 * {@link dev.orchestrator.notifiers.NotificationConfig}, merges storms of identical notifications into digests,
 * holds each channel to its rate limit, and delivers asynchronously with retries. The channel plugins are
 * discovered as {@link dev.orchestrator.spi.notifier.NotifierFactory}s; the factories in this package are the
 * bundled ones.
 */
@NullMarked
package dev.orchestrator.notifiers;

import org.jspecify.annotations.NullMarked;
