package dev.obscura.crypto.audit;

import java.util.List;
import java.util.Optional;

/**
 * What {@link AuditLog#verify} found: the entries that parsed, in log order, and every problem,
 * each naming the sequence number it concerns. The log verifies only if there are no problems.
 *
 * @param entries the entries that parsed, in sequence order (including ones with problems)
 * @param problems one line per problem (deleted, edited, reordered, unknown signer, truncated)
 * @param head the newest entry, if any: a device should remember it (see {@link AuditHead})
 */
public record AuditReport(List<AuditEntry> entries, List<String> problems,
    Optional<AuditHead> head) {
  public AuditReport {
    entries = List.copyOf(entries);
    problems = List.copyOf(problems);
  }

  /** Whether the log verified: no problems at all. */
  public boolean verified() {
    return problems.isEmpty();
  }
}
