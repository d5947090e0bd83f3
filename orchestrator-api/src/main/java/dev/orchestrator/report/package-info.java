/** Reports for application developers: values with a text form for people. */
@NullMarked
package dev.orchestrator.report;

import org.jspecify.annotations.NullMarked;
