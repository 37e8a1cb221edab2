/**
 * Scenario: a doorbell camera and its owner's phone ({@link
 * dev.obscura.examples.scenarios.doorbell.Doorbell}).
 *
 * <p><b>Who runs it.</b> The doorbell's firmware makes its identity and a pairing code in the
 * factory (printed on its label), publishes its public key, and later, when someone rings, seals
 * every frame for live view ({@code LiveCamera}) and records the visit as sealed segments with a
 * signed hash chain ({@code Recorder}). The owner's phone app pairs the doorbell by scanning the
 * label ({@code Household.create}), watches the ring live ({@code LiveViewer}) and exports the
 * recorded visit as an MP4. Live and recording run one after the other on one stream: the SDK
 * does not let a {@code LiveCamera} and a {@code Recorder} share a stream at the same time.
 *
 * <p><b>What the cloud sees.</b> The store (here {@code FileSystemSegmentStore}, standing for the
 * vendor's storage) holds the camera's public key, the signed roster and pairing record, signed
 * key envelopes wrapped to the phone, sealed segments and signed chain manifests: stream names,
 * sizes and timing, never a frame or a key. The relay ({@code RelayServer}, on loopback) forwards
 * SFrame ciphertexts and envelopes; a holder of its subscribe token who is not in the roster
 * (the run makes one) receives every frame and opens none.
 *
 * <p><b>Trust anchors.</b> The pairing code on the label (the doorbell's key fingerprint and a
 * secret only the label and the doorbell know: roster version 1 is authenticated to the doorbell
 * with it, and the phone takes only the camera key it names); the phone's pins ({@code
 * phone.trust}: the newest roster it verified and the camera key in force), through which every
 * read opens the store ({@code VerifiedStore}); the doorbell's own pinned roster and chain head
 * in its folder. Nothing the store or relay serves is a reason to trust anything.
 */
package dev.obscura.examples.scenarios.doorbell;
