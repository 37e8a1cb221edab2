package dev.obscura.transport.nats;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.EventMessage;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.transport.relay.RelayEnvelope;
import dev.obscura.transport.relay.RelayFrame;
import dev.obscura.transport.relay.RelayWire;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes what a NATS subscriber makes of a message the server (or any publisher with the
 * subject's permission) sends: the live subscriber's decode ({@link NatsLiveSubscriber#decode},
 * {@link NatsLiveSubscriber#run}), the event subscriber's decode ({@link
 * NatsEventSubscriber#decode}), and the names of {@link NatsSubjects} built from a household,
 * user and camera name taken from the input.
 *
 * <p>Input layout: byte 0 the message limit selector, bytes 1-3 the lengths of the run header,
 * the event id header and a name; then those three strings (ISO-8859-1), then the message data.
 *
 * <p>Invariants: the live decode throws only {@link MalformedDataException}; a decoded live
 * message re-encodes to the data byte for byte; the run is the header's value or {@code ""}; the
 * event decode is non-null exactly when the id header is 32 hex digits and the data is not empty,
 * and then carries that id and the data unchanged; a household, user or camera name is refused
 * with {@link IllegalArgumentException} or yields subjects with exactly the tokens the grammar of
 * {@code docs/nats.md} says (no {@code .}, {@code *}, {@code >} or white space smuggled in).
 */
class NatsMessageFuzzTest {
  private static final StreamId CAMERA = StreamId.of("front.door");

  @FuzzTest
  void decodeArbitraryMessages(byte[] input) {
    if (input.length < 4) {
      return;
    }
    int sel = input[0] & 0xff;
    int runLen = input[1] & 0xff;
    int idLen = input[2] & 0xff;
    int nameLen = input[3] & 0xff;
    int p = 4;
    String run = take(input, p, runLen);
    p = Math.min(input.length, p + runLen);
    String id = take(input, p, idLen);
    p = Math.min(input.length, p + idLen);
    String name = take(input, p, nameLen);
    p = Math.min(input.length, p + nameLen);
    byte[] data = Arrays.copyOfRange(input, p, input.length);

    Headers h = new Headers();
    try {
      if (!run.isEmpty()) {
        h.put(NatsSubjects.RUN_HEADER, run);
      }
      if (!id.isEmpty()) {
        h.put(NatsEventPublisher.MSG_ID_HEADER, id);
      }
    } catch (IllegalArgumentException notAHeaderValue) {
      // jnats refuses such a value; no server delivers it
      h = new Headers();
      run = "";
      id = "";
    }
    Message m = new NatsMessage("obscura.live.h.front~door.f", null, h.isEmpty() ? null : h, data);

    int limit = sel == 0 ? 1 << 20 : data.length - 8 + sel % 17;
    checkLive(m, data, limit, run);
    checkEvent(m, data, id);
    checkNames(name);
  }

  private static void checkLive(Message m, byte[] data, int limit, String run) {
    if (!NatsLiveSubscriber.run(m).equals(run)) {
      throw new AssertionError("run header read as something else");
    }
    LiveMessage lm;
    try {
      lm = NatsLiveSubscriber.decode(m, limit);
    } catch (MalformedDataException e) {
      return;
    }
    byte[] again = lm instanceof LiveMessage.Frame f
        ? RelayWire.encode(new RelayFrame(f.epoch(), f.sequence(), f.keyframe(), f.payload()))
        : RelayWire.encode(new RelayEnvelope(lm.epoch(), ((LiveMessage.Envelope) lm).payload()));
    if (data.length > limit || !Arrays.equals(again, data)) {
      throw new AssertionError("live decode is not the relay message of the data");
    }
  }

  private static void checkEvent(Message m, byte[] data, String id) {
    EventMessage e = NatsEventSubscriber.decode(CAMERA, m);
    boolean valid = id.length() == 32 && id.matches("[0-9a-fA-F]+") && data.length > 0;
    if ((e != null) != valid) {
      throw new AssertionError("event decode " + (e == null ? "refused" : "accepted")
          + " an id of " + id.length() + " chars with " + data.length + " bytes");
    }
    if (e != null && (!e.id().toHex().equalsIgnoreCase(id) || !Arrays.equals(e.sealed(), data)
        || !e.stream().equals(CAMERA))) {
      throw new AssertionError("event decode changed the id or the data");
    }
  }

  private static void checkNames(String name) {
    try {
      String household = NatsSubjects.household(name);
      String[] tokens = NatsSubjects.subject(household, CAMERA, NatsSubjects.FRAME).split("\\.", -1);
      if (tokens.length != 5 || !tokens[2].equals(name)) {
        throw new AssertionError("household id splits the subject into " + tokens.length + " tokens");
      }
      checkToken(NatsSubjects.liveStream(household));
      checkToken(NatsSubjects.eventsStream(household));
    } catch (IllegalArgumentException refused) {
      // typed
    }
    try {
      String user = NatsSubjects.user(name);
      checkToken(NatsSubjects.inboxPrefix(user));
      checkToken(NatsSubjects.eventsConsumer(user, CAMERA));
    } catch (IllegalArgumentException refused) {
      // typed
    }
    StreamId camera;
    try {
      camera = StreamId.of(name);
    } catch (IllegalArgumentException refused) {
      return;
    }
    checkToken(NatsSubjects.cameraToken(camera));
    String[] tokens = NatsSubjects.events("h", camera).split("\\.", -1);
    if (tokens.length != 4) {
      throw new AssertionError("camera name splits the events subject into " + tokens.length);
    }
  }

  /** One NATS subject token (or stream/consumer name): no separator, wildcard or white space. */
  private static void checkToken(String t) {
    if (t.isEmpty()) {
      throw new AssertionError("empty token");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '.' || c == '*' || c == '>' || c <= ' ' || c > '~') {
        throw new AssertionError("token with a separator, wildcard or white space");
      }
    }
  }

  private static String take(byte[] b, int from, int len) {
    int start = Math.min(b.length, from);
    int end = Math.min(b.length, start + len);
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
