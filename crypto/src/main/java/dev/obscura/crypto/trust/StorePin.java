package dev.obscura.crypto.trust;

import dev.obscura.crypto.audit.AuditHead;
import dev.obscura.crypto.roster.RosterRef;
import dev.obscura.crypto.sign.VerifyingKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What one device remembers of one store: the newest roster it verified or signed, the camera key
 * in force in it, and the newest audit-log head it verified. A store that later shows less (an
 * older roster, none, another roster at the pinned version, a log without the pinned head) is
 * refused.
 *
 * @param roster the newest roster verified, or null if the store had none (then only the audit
 *     head is pinned)
 * @param camera the camera key in force in that roster, or null
 * @param audit the newest audit head verified, or null
 */
public record StorePin(RosterRef roster, VerifyingKey camera, AuditHead audit) {
  public Optional<RosterRef> rosterRef() {
    return Optional.ofNullable(roster);
  }

  public Optional<VerifyingKey> cameraKey() {
    return Optional.ofNullable(camera);
  }

  public Optional<AuditHead> auditHead() {
    return Optional.ofNullable(audit);
  }

  /** This pin with another roster and camera key. */
  public StorePin withRoster(RosterRef r, VerifyingKey c) {
    return new StorePin(Objects.requireNonNull(r, "roster"), c, audit);
  }

  /** This pin with another audit head. */
  public StorePin withAudit(AuditHead head) {
    return new StorePin(roster, camera, Objects.requireNonNull(head, "head"));
  }
}
