/**
 * Scenario: the owner shares one clip with someone outside the household ({@link
 * dev.obscura.examples.scenarios.consentedshare.ConsentedShare}).
 *
 * <p><b>Who runs it.</b> The owner's app picks a time range of one stream and the recipient's
 * public key (an insurer's, here) and makes a share grant ({@code Household.share}): it opens the
 * store through its pins, checks the stream complete against the camera's signed manifests,
 * hands out the keys of exactly the shared segments (never an epoch key), signs a record of who,
 * what, when and why, and logs it in the audit log. The recipient's software, which needs no
 * household and no store, verifies the grant ({@code ShareVerifier}, expecting the owner's key)
 * and decrypts it. It then tries the store itself, and the run shows what a carrier gets by
 * cutting a segment out of the grant or splicing in one from outside the clip.
 *
 * <p><b>What the cloud sees.</b> The recorded stream as always, and an audit entry for the share
 * (its record hash, range and recipient fingerprint, signed by the owner). The grant does not
 * need the cloud; whoever carries it sees the signed record (times, reason, fingerprints) and
 * ciphertext. Its keys are wrapped to the recipient's key and bound to the record.
 *
 * <p><b>Trust anchors.</b> For the owner: its pins and the camera key the verified roster names.
 * For the recipient: the owner's public key, obtained out of band (with the claim), and the
 * camera key the owner's signed record vouches for; the camera's signed hash chain makes the
 * range complete and unaltered. Nothing in the grant opens a segment outside the range: a
 * segment key is derived per segment, so the recipient learns no other.
 */
package dev.obscura.examples.scenarios.consentedshare;
