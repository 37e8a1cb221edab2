/**
 * Scenario: a network video recorder with several cameras ({@link
 * dev.obscura.examples.scenarios.nvr.Nvr}).
 *
 * <p><b>Who runs it.</b> The NVR's firmware holds the household's one camera identity (a roster
 * pins one camera key, so the NVR, not each camera, is the sealing device) and runs one {@code
 * Recorder} per camera input, one stream each, into one store; every recorder re-reads the roster
 * before each segment. The owner's phone pairs the NVR, enrols a kitchen tablet as a viewer,
 * later revokes it ({@code Household.revoke}), lists the streams ({@code StreamReader.streams})
 * and exports each one verified. The tablet tries to read every stream afterwards.
 *
 * <p><b>What the cloud sees.</b> One folder per stream of sealed segments, signed key envelopes
 * and signed chain manifests; the roster versions (1: setup, 2: the tablet enrolled, 3: revoked)
 * and the audit log. It learns how many cameras there are, their sizes and timing, and that the
 * roster changed; no frame, no key. A revocation takes effect at the next segment: every stream
 * starts a new epoch wrapped to the remaining devices only.
 *
 * <p><b>Trust anchors.</b> The NVR's pairing code (roster version 1 is authenticated to the NVR
 * with it); the NVR's own pinned roster and per-stream chain heads ({@code CameraState}); the
 * owner's and the tablet's pins. Revocation is forward-only: what was sealed while the tablet was
 * enrolled stays readable to it (it held those keys), nothing sealed after is.
 */
package dev.obscura.examples.scenarios.nvr;
