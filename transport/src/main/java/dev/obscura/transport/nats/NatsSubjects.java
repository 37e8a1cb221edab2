package dev.obscura.transport.nats;

import dev.obscura.core.StreamId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one definition of Obscura's NATS names: subjects, the JetStream stream that keeps what late
 * joiners need, and the inbox prefix of each user. Every other class (the live clients, the
 * permissions {@link NatsCredentials} writes into JWTs, the docs) takes its names from here.
 *
 * <p>Grammar ({@code docs/nats.md}):
 *
 * <pre>
 * household := [A-Za-z0-9][A-Za-z0-9_-]{0,63}
 * camera    := a StreamId with every '.' written as '~'  (StreamId has no '~'; NATS splits on '.')
 * obscura.live.&lt;household&gt;.&lt;camera&gt;.env   sealed key envelopes   (stored: newest one)
 * obscura.live.&lt;household&gt;.&lt;camera&gt;.key   keyframes              (stored: newest one)
 * obscura.live.&lt;household&gt;.&lt;camera&gt;.f     the other frames       (not stored)
 * stream  OBSCURA_LIVE_&lt;household&gt;            subjects obscura.live.&lt;household&gt;.*.env and .key,
 *                                             memory storage, one message per subject
 * inbox   _INBOX_&lt;user&gt;.&gt;                       replies to one user (JetStream acks, direct gets)
 * obscura.events.&lt;household&gt;.&lt;camera&gt;         sealed motion events   (stored: retention)
 * stream  OBSCURA_EVENTS_&lt;household&gt;          subjects obscura.events.&lt;household&gt;.*, file
 *                                             storage, replicated, max age and count per subject
 * </pre>
 *
 * <p>Each message is one relay protocol v1 message ({@link
 * dev.obscura.transport.relay.RelayWire}: 24-byte public header and the opaque payload), with a
 * NATS header {@value #RUN_HEADER} naming the publisher's run, so a viewer can tell a camera
 * that restarted its sequence numbers from a repeated frame.
 *
 * <p><b>Security guarantees:</b> none; names only. Subjects are visible to the server.
 */
public final class NatsSubjects {
  /** The first token of every Obscura subject. */
  public static final String ROOT = "obscura";
  /** The NATS header naming the publisher run of a message (16 hex digits). */
  public static final String RUN_HEADER = "Obscura-Run";
  /** The last token of the envelope subject. */
  public static final String ENVELOPE = "env";
  /** The last token of the keyframe subject. */
  public static final String KEYFRAME = "key";
  /** The last token of the subject of the other frames. */
  public static final String FRAME = "f";

  private static final Pattern HOUSEHOLD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_~-]{0,99}");

  private NatsSubjects() {}

  /**
   * Checks a household id.
   *
   * @param household the id
   * @return it
   * @throws IllegalArgumentException if it does not match {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}
   */
  public static String household(String household) {
    Objects.requireNonNull(household, "household");
    if (!HOUSEHOLD.matcher(household).matches()) {
      throw new IllegalArgumentException("household id must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    }
    return household;
  }

  /**
   * The subject token of a camera's stream.
   *
   * @param camera the stream
   * @return its id with '.' written as '~'
   */
  public static String cameraToken(StreamId camera) {
    return camera.value().replace('.', '~');
  }

  /**
   * Checks a user name (a viewer's or camera's device name in a JWT and in its inbox prefix).
   *
   * @param user the name
   * @return it
   * @throws IllegalArgumentException if it does not match {@code [A-Za-z0-9][A-Za-z0-9_~-]{0,99}}
   */
  public static String user(String user) {
    Objects.requireNonNull(user, "user");
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user name must match [A-Za-z0-9][A-Za-z0-9_~-]{0,99}");
    }
    return user;
  }

  /**
   * The prefix of one camera's subjects.
   *
   * @param household the household
   * @param camera the stream
   * @return {@code obscura.live.<household>.<camera>}
   */
  public static String streamPrefix(String household, StreamId camera) {
    return ROOT + ".live." + household(household) + "." + cameraToken(camera);
  }

  /**
   * A subject of one camera.
   *
   * @param household the household
   * @param camera the stream
   * @param kind {@link #ENVELOPE}, {@link #KEYFRAME} or {@link #FRAME}
   * @return the subject
   */
  public static String subject(String household, StreamId camera, String kind) {
    return streamPrefix(household, camera) + "." + kind;
  }

  /**
   * The subjects of one camera, checked once.
   *
   * @param household the household id, checked
   * @param camera the camera's stream
   * @param envelope its envelope subject
   * @param keyframe its keyframe subject
   * @param frame the subject of its other frames
   */
  record Camera(String household, StreamId camera, String envelope, String keyframe, String frame) {
    static Camera of(String household, StreamId camera) {
      return new Camera(NatsSubjects.household(household), Objects.requireNonNull(camera, "camera"),
          subject(household, camera, ENVELOPE), subject(household, camera, KEYFRAME),
          subject(household, camera, FRAME));
    }

    @Override
    public String toString() {
      return household + "/" + camera;
    }
  }

  /**
   * What a viewer of one camera subscribes to: all three subjects, in publish order.
   *
   * @param household the household
   * @param camera the stream
   * @return {@code obscura.live.<household>.<camera>.*}
   */
  public static String viewerSubscription(String household, StreamId camera) {
    return streamPrefix(household, camera) + ".*";
  }

  /**
   * The JetStream stream of one household.
   *
   * @param household the household
   * @return {@code OBSCURA_LIVE_<household>}
   */
  public static String liveStream(String household) {
    return "OBSCURA_LIVE_" + household(household);
  }

  /**
   * The subjects the household's stream stores.
   *
   * @param household the household
   * @return the envelope and keyframe subjects of every camera of the household
   */
  public static String[] liveStreamSubjects(String household) {
    String base = ROOT + ".live." + household(household) + ".*.";
    return new String[] {base + ENVELOPE, base + KEYFRAME};
  }

  /**
   * The JetStream API subject a viewer sends a "last message for subject" direct get to.
   *
   * @param household the household
   * @param storedSubject the envelope or keyframe subject
   * @return {@code $JS.API.DIRECT.GET.<stream>.<storedSubject>}
   */
  public static String directGet(String household, String storedSubject) {
    return "$JS.API.DIRECT.GET." + liveStream(household) + "." + storedSubject;
  }

  /**
   * The subject of one camera's sealed motion events.
   *
   * @param household the household
   * @param camera the stream
   * @return {@code obscura.events.<household>.<camera>}
   */
  public static String events(String household, StreamId camera) {
    return ROOT + ".events." + household(household) + "." + cameraToken(Objects.requireNonNull(camera, "camera"));
  }

  /**
   * The subjects the household's events stream stores.
   *
   * @param household the household
   * @return {@code obscura.events.<household>.*}
   */
  public static String eventsStreamSubjects(String household) {
    return ROOT + ".events." + household(household) + ".*";
  }

  /**
   * The JetStream stream of one household's motion events.
   *
   * @param household the household
   * @return {@code OBSCURA_EVENTS_<household>}
   */
  public static String eventsStream(String household) {
    return "OBSCURA_EVENTS_" + household(household);
  }

  /**
   * The name of a viewer's durable consumer of one camera's events: the viewer's user name and
   * the camera token, so each device keeps its own position per camera.
   *
   * @param user the viewer's user name ({@link #user})
   * @param camera the camera
   * @return {@code <user>_<camera>}
   */
  public static String eventsConsumer(String user, StreamId camera) {
    return user(user) + "_" + cameraToken(Objects.requireNonNull(camera, "camera"));
  }

  /**
   * The inbox prefix of a user: replies to it arrive below it, and only it may subscribe there.
   *
   * @param user the user name
   * @return {@code _INBOX_<user>}
   */
  public static String inboxPrefix(String user) {
    return "_INBOX_" + user(user);
  }
}
