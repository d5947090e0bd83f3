/**
 * Budgets for application developers: hard spending limits at every level, their alert thresholds, the cost report
 * and the dry-run plan.
 */
@NullMarked
package dev.orchestrator.budget;

import org.jspecify.annotations.NullMarked;
