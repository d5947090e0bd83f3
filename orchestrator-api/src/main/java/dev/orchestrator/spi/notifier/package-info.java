/**
 * For plugin authors: the notifier SPI. A {@link dev.orchestrator.spi.notifier.NotifierFactory} listed in
 * {@code META-INF/services/dev.orchestrator.spi.notifier.NotifierFactory} creates
 * {@link dev.orchestrator.spi.notifier.Notifier}s (one per configured channel, such as an SMTP account or a Slack
 * webhook), and each notifier sends {@link dev.orchestrator.spi.notifier.Notification}s, rendered and localized
 * already, without blocking its caller. A notifier's test extends {@code NotifierContract} from
 * {@code orchestrator-testkit}.
 *
 * <p>Rules, digests, rate limits and retries are not the notifier's business: the notification listener that
 * calls it does them. A notifier sends once and reports the outcome.
 */
@NullMarked
package dev.orchestrator.spi.notifier;

import org.jspecify.annotations.NullMarked;
