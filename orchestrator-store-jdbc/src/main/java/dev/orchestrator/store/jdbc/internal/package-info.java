/**
 * Internal: the JDBC store's JSON codecs, SQL dialects and helpers. For the store's own use only; no compatibility
 * promise, anything here may change or disappear in any release.
 */
@NullMarked
package dev.orchestrator.store.jdbc.internal;

import org.jspecify.annotations.NullMarked;
