/**
 * Live fan-out and motion events over a NATS JetStream cluster: the SDK's {@link dev.obscura.core.LivePublisher}
 * and {@link dev.obscura.core.LiveSubscriber} on an existing distributed engine, for vendors
 * whose cameras outgrow one embedded relay ({@code docs/nats.md}).
 *
 * <p>Start here: {@link dev.obscura.transport.nats.NatsLivePublisher} (camera side), {@link
 * dev.obscura.transport.nats.NatsLiveSubscriber} (viewer side), both configured by {@link
 * dev.obscura.transport.nats.NatsLiveConfig} with a user's {@link
 * dev.obscura.transport.nats.NatsUserCreds}; {@link dev.obscura.transport.nats.NatsCredentials}
 * mints those for a vendor backend (operator, an account per household, a user per device) and
 * writes the server's trust configuration. {@link dev.obscura.transport.nats.NatsSubjects} is
 * the one definition of every subject and stream name. Motion events: {@link
 * dev.obscura.transport.nats.NatsEventPublisher} and {@link
 * dev.obscura.transport.nats.NatsEventSubscriber} (the SDK's {@link
 * dev.obscura.core.EventPublisher} / {@link dev.obscura.core.EventSubscriber}) on a per-household
 * JetStream stream configured by {@link dev.obscura.transport.nats.NatsEventsConfig}.
 *
 * <p><b>Dependencies:</b> {@code io.nats:jnats} (optional in {@code obscura-transport}; version
 * in {@code obscura-bom}) and Bouncy Castle's {@code bcprov-jdk18on} for its Ed25519 NKeys.
 * jnats is plain Java 8 on {@code java.nio} sockets and its jar links against the build's
 * Android API 26 signature, so these classes carry no {@code NotOnAndroid} mark and pass the
 * build's Android API 26 check.
 *
 * <p><b>Security guarantees:</b> nothing here sees a key or a plaintext frame: messages are relay
 * protocol v1 messages ({@link dev.obscura.transport.relay.RelayWire}) around sealed payloads.
 * The NATS server learns subjects (household and camera ids), sizes and timing. Seeds and JWTs
 * never appear in logs, {@code toString()} or exception messages.
 */
package dev.obscura.transport.nats;
