/**
 * Scenario: a second device, a tablet, joins a household and views its cameras ({@link
 * dev.obscura.examples.scenarios.phoneviewer.PhoneViewer}).
 *
 * <p><b>Who runs it.</b> The owner's phone enrols the tablet's public key ({@code
 * Household.enrol}) and shows an enrolment code; the tablet's app types it in on its first
 * contact with the store ({@code Household.open(code)}), and from then on opens the store only
 * through its own pins ({@code VerifiedStore}, the SDK's one verification path): it lists the
 * streams, exports the newest clip, and watches the camera live ({@code LiveViewer}, over a relay
 * on loopback). The camera's firmware records ({@code Recorder}) and streams ({@code LiveCamera}).
 *
 * <p><b>What the cloud sees.</b> The tablet's public key in the signed roster, envelopes wrapped
 * to it, sealed segments and frames: which devices are enrolled (as keys and names) and when the
 * tablet reads, never what it sees. The provider here also keeps an old copy of the store, from
 * before a later enrolment, and serves it: the tablet, having pinned the newer roster, refuses
 * it as a rollback ({@code TrustException}, reason {@code ROLLBACK}, outcome {@code INTEGRITY}).
 *
 * <p><b>Trust anchors.</b> The enrolment code, which reaches the tablet from the owner's phone
 * (not through the cloud) and names the roster version, its digest and the camera key; then the
 * tablet's pins ({@code tablet.trust}: the newest roster it verified and the camera key in
 * force). A store may show newer valid rosters, never older or other ones.
 */
package dev.obscura.examples.scenarios.phoneviewer;
