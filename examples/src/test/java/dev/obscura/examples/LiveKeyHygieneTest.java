package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.LiveMessage;
import dev.obscura.core.LiveSubscriber;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.sframe.SFrameCipherSuite;
import dev.obscura.crypto.sframe.SFrameHeader;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.examples.cli.ObscuraCli;
import dev.obscura.transport.relay.RelayClientConfig;
import dev.obscura.transport.relay.RelayLive;
import dev.obscura.transport.relay.RelaySubscriber;
import dev.obscura.transport.relay.RelayToken;
import dev.obscura.transport.testing.SecretScan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real live session over the relay, in-process with SLF4J at TRACE: {@code obscura relay}, two
 * {@code obscura watch} viewers that see the video, one whose frame tolerance refuses every frame
 * (the viewer's refusal paths log), a device outside the roster, and {@code obscura live} for 3 s.
 * Then {@link SecretScan} searches every line they printed (stdout and stderr of each command) and
 * every log line of camera, viewer and relay for every 8-byte window of every key of the session:
 * the live epoch key (opened from the envelope the camera stored), the SFrame base key, secret,
 * key and salt derived from it (checked to open a frame the relay carried), the camera's
 * signing seed and pairing secret, the devices' X25519 scalars and signing seeds, and the relay
 * tokens. A control case shows the scan finds a key planted in a log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveKeyHygieneTest {
  static final StreamId PORCH = StreamId.of("porch");
  static final String PUB = "pub-7f3c9a1e5b2d4068e1";
  static final String SUB = "sub-c41d8e7b92a0f356b7";

  final SecretScan keys = new SecretScan();
  final StringBuilder text = new StringBuilder(); // everything the commands printed
  final ByteArrayOutputStream errCapture = new ByteArrayOutputStream(); // every log line
  final List<byte[]> draws = new ArrayList<>();
  PrintStream originalErr;
  Household home;
  ViewerIdentity stranger;
  /** What LiveCamera seals with (it sets no suite); the wire frame check confirms it. */
  static final SFrameCipherSuite SUITE = SFrameCipherSuite.DEFAULT;
  final List<EpochKey> epochKeys = new ArrayList<>();
  /** The first video frame the relay carried, as a subscriber of the stream received it. */
  LiveMessage.Frame wireFrame;

  @BeforeAll
  void session(@TempDir Path dir) throws Exception {
    originalErr = System.err;
    System.setErr(new PrintStream(errCapture, true, StandardCharsets.UTF_8));
    EntropySource system = EntropySource.system();
    EntropySource recording = b -> {
      system.nextBytes(b);
      draws.add(b.clone());
    };
    home = new Household(dir.resolve("home"), recording);
    Path strangerKey = dir.resolve("stranger.key");
    stranger = ViewerIdentity.generate(recording);
    stranger.writeTo(strangerKey, KeyProtection.platformKey(Path.of(System.getenv("OBSCURA_PLATFORM_KEY"))));

    Path streams = dir.resolve("streams.txt");
    Files.writeString(streams, "porch " + PUB + " " + SUB + "\n");
    StringWriter relayOut = new StringWriter();
    StringWriter relayErr = new StringWriter();
    int[] relayExit = {-1};
    Thread relay = new Thread(() -> relayExit[0] = ObscuraCli.run(
        new String[] {"relay", "--port", "0", "--streams", streams.toString()},
        new PrintWriter(relayOut, true), new PrintWriter(relayErr, true)), "hygiene-relay");
    relay.start();
    String url;
    try {
      Pattern listening = Pattern.compile("relay listening on ws://127\\.0\\.0\\.1:(\\d+)");
      long deadline = System.nanoTime() + 30_000_000_000L;
      Matcher m;
      while (!(m = listening.matcher(relayOut.toString())).find()) {
        assertTrue(relay.isAlive(), () -> "relay ended: " + relayOut + relayErr);
        assertTrue(System.nanoTime() < deadline, "relay did not start");
        Thread.sleep(20); // polling the readiness condition
      }
      url = "ws://127.0.0.1:" + m.group(1);

      ExecutorService watchers = Executors.newFixedThreadPool(3);
      CompletableFuture<Cli> phone = LiveCliTest.startWatching(watchAll(url, home.phoneKey, dir.resolve("phone.mp4")), watchers);
      CompletableFuture<Cli> tablet = LiveCliTest.startWatching(watchAll(url, home.tabletKey, dir.resolve("tablet.mp4")), watchers);
      // a tolerance of a microsecond: every frame is stale on arrival, each refusal is logged
      CompletableFuture<Cli> strict = LiveCliTest.startWatching(CliEndToEndTest.concat(
          watch(url, home.phoneKey, dir.resolve("strict.mp4")), new String[] {"--frame-tolerance", "PT0.000001S"}), watchers);
      watchers.shutdown();
      // a plain subscriber of the relay, as anyone with the token: what went over the wire
      LiveSubscriber tap = RelayLive.subscriber(RelaySubscriber.connect(java.net.URI.create(url), PORCH,
          RelayToken.of(SUB), RelayClientConfig.defaults()));
      // its own thread: a blocking read must not hold the common pool (one thread on 2 cores),
      // which the JDK's WebSocket client of the camera may need to finish its handshake
      ExecutorService tapThread = Executors.newSingleThreadExecutor();
      CompletableFuture<LiveMessage.Frame> tapped = CompletableFuture.supplyAsync(() -> {
        try (tap) {
          for (LiveMessage msg = tap.next(Duration.ofSeconds(60)); msg != null; msg = tap.next(Duration.ofSeconds(60))) {
            if (msg instanceof LiveMessage.Frame f) {
              return f;
            }
          }
          throw new AssertionError("the relay carried no frame");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, tapThread);
      tapThread.shutdown();
      Cli live = Cli.run(CliEndToEndTest.concat(new String[] {"live", "--relay", url, "--stream", "porch", "--token", PUB,
          "--store", home.storeDir.toString(), "--camera", home.cameraDir.toString(), "--duration", "3s"},
          LiveCliTest.SMALL));
      keep(live);
      assertEquals(0, live.exitCode(), live::toString);
      assertTrue(live.out().contains("published 45 frames"), live::toString);
      for (CompletableFuture<Cli> w : List.of(phone, tablet)) {
        Cli c = keep(LiveCliTest.ended(w));
        assertEquals(0, c.exitCode(), c::toString);
        assertTrue(c.out().contains("refused 0 replayed, 0 stale, 0 forged or damaged"), c::toString);
      }
      wireFrame = tapped.get();
      Cli s = keep(LiveCliTest.ended(strict));
      assertEquals(3, s.exitCode(), s::toString); // nothing verified: every frame refused as stale
      assertTrue(s.err().contains("stale frame refused"), s::toString);
      Cli notMember = keep(Cli.run(watch(url, strangerKey, dir.resolve("stranger.mp4"))));
      assertEquals(4, notMember.exitCode(), notMember::toString);
    } finally {
      relay.interrupt();
      relay.join(20_000);
    }
    assertEquals(0, relayExit[0], () -> relayOut + "\n" + relayErr);
    text.append(relayOut).append(relayErr);
    collectKeys();
  }

  /**
   * A watch that refuses what it gets (the strict viewer) or never gets a frame (the stranger):
   * it ends after its window, which the camera's 3 s fit in.
   */
  String[] watch(String url, Path identity, Path out) {
    return new String[] {"watch", "--relay", url, "--stream", "porch", "--token", SUB, "--store", home.storeDir.toString(),
        "--identity", identity.toString(), "--out", out.toString(), "--duration", "15s"};
  }

  /** A watch that ends once it has written the camera's 45 frames (60 s at most). */
  String[] watchAll(String url, Path identity, Path out) {
    return new String[] {"watch", "--relay", url, "--stream", "porch", "--token", SUB, "--store", home.storeDir.toString(),
        "--identity", identity.toString(), "--out", out.toString(), "--duration", "60s", "--frames", "45"};
  }

  Cli keep(Cli c) {
    text.append(c.out()).append(c.err());
    return c;
  }

  @AfterAll
  void restore() {
    System.setErr(originalErr);
  }

  void collectKeys() throws Exception {
    keys.putText("relay publish token", PUB);
    keys.putText("relay subscribe token", SUB);
    byte[] cameraSeed = home.camera.identity().signingKey().seed().toByteArray(InsecureSecretAccess.get());
    keys.put("camera signing seed", cameraSeed);
    int c = indexOfDraw(cameraSeed);
    byte[] pairing = null;
    for (int i = c + 1; i < draws.size() && pairing == null; i++) {
      if (draws.get(i).length == dev.obscura.crypto.trust.PairingCode.SECRET_BYTES) {
        pairing = draws.get(i); // the first 16-byte draw after the camera key: newPairingCode's secret
      }
    }
    assertTrue(pairing != null, "no pairing secret was drawn");
    keys.put("pairing secret", pairing);
    for (var d : List.of(new Object[] {"phone", home.phone}, new Object[] {"tablet", home.tablet},
        new Object[] {"stranger", stranger})) {
      SigningKey sk = ((ViewerIdentity) d[1]).signingKey().orElseThrow();
      byte[] seed = sk.seed().toByteArray(InsecureSecretAccess.get());
      keys.put(d[0] + " signing seed", seed);
      // ViewerIdentity.generate draws the X25519 scalar just before the signing seed
      byte[] scalar = draws.get(indexOfDraw(seed) - 1).clone();
      assertEquals(32, scalar.length);
      scalar[0] &= (byte) 248; // RFC 7748 clamping, as ViewerIdentity does
      scalar[31] &= 127;
      scalar[31] |= 64;
      keys.put(d[0] + " X25519 private key", scalar);
    }
    // the live epoch keys: opened from the envelopes the camera stored, as the viewers opened them
    EnvelopeKeyResolver resolver = new EnvelopeKeyResolver(home.store, home.phone);
    for (StoredObject o : home.store.list(ObjectNames.envelopePrefix(PORCH))) {
      var name = ObjectNames.parseEnvelope(o.name()).orElseThrow();
      EpochKey ek = resolver.resolve(PORCH, name.epoch());
      epochKeys.add(ek);
      String e = "epoch " + name.epoch().value();
      keys.put("live epoch key " + e, ek.secret().toByteArray(InsecureSecretAccess.get()));
      SFrameKeys k = SFrameKeys.derive(ek, SUITE);
      keys.put("SFrame base key " + e, k.baseKey);
      keys.put("SFrame secret " + e, k.secret);
      keys.put("SFrame key " + e, k.key);
      keys.put("SFrame salt " + e, k.salt);
    }
    assertEquals(1, epochKeys.size(), "the 3 s session is one epoch");
  }

  int indexOfDraw(byte[] value) {
    for (int i = 0; i < draws.size(); i++) {
      if (java.util.Arrays.equals(draws.get(i), value)) {
        return i;
      }
    }
    throw new AssertionError("not among the recorded draws");
  }

  /**
   * The SFrame keys of an epoch (live-sframe-v1, RFC 9605 section 4.4.2), derived here with the
   * JDK's HMAC: the SDK's key schedule is internal to its package. {@link
   * #theScannedSFrameKeysOpenTheSessionsFrames} checks them against a frame the relay carried.
   */
  record SFrameKeys(byte[] baseKey, byte[] secret, byte[] key, byte[] salt) {
    static SFrameKeys derive(EpochKey epochKey, SFrameCipherSuite suite) throws Exception {
      String hmac = "HmacSHA" + 8 * suite.hashBytes();
      byte[] stream = epochKey.stream().toBytes();
      byte[] label = "obscura/v1 sframe base key".getBytes(StandardCharsets.US_ASCII);
      byte[] info = ByteBuffer.allocate(label.length + 1 + stream.length + 8).put(label).put((byte) stream.length)
          .put(stream).putLong(epochKey.epoch().value()).array();
      byte[] base = expand("HmacSHA256", extract("HmacSHA256", epochKey.secret().toByteArray(InsecureSecretAccess.get())),
          info, 32);
      byte[] secret = extract(hmac, base);
      long kid = epochKey.epoch().value();
      byte[] key = expand(hmac, secret, label("SFrame 1.0 Secret key ", kid, suite), suite.keyBytes());
      byte[] salt = expand(hmac, secret, label("SFrame 1.0 Secret salt ", kid, suite), suite.nonceBytes());
      return new SFrameKeys(base, secret, key, salt);
    }

    static byte[] label(String prefix, long kid, SFrameCipherSuite suite) {
      byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
      return ByteBuffer.allocate(p.length + 10).put(p).putLong(kid).putShort((short) suite.id()).array();
    }

    /** HKDF-Extract with an empty salt (a hash length of zeros, RFC 5869 section 2.2). */
    static byte[] extract(String hmac, byte[] ikm) throws Exception {
      Mac mac = Mac.getInstance(hmac);
      mac.init(new SecretKeySpec(new byte[mac.getMacLength()], hmac));
      return mac.doFinal(ikm);
    }

    static byte[] expand(String hmac, byte[] prk, byte[] info, int length) throws Exception {
      Mac mac = Mac.getInstance(hmac);
      mac.init(new SecretKeySpec(prk, hmac));
      ByteArrayOutputStream okm = new ByteArrayOutputStream();
      byte[] t = new byte[0];
      for (int i = 1; okm.size() < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        t = mac.doFinal();
        okm.writeBytes(t);
      }
      return java.util.Arrays.copyOf(okm.toByteArray(), length);
    }
  }

  String everything() {
    return text + "\n" + errCapture.toString(StandardCharsets.UTF_8);
  }

  /** The scanned SFrame key and salt are the session's: they open the frame the relay carried. */
  @Test
  void theScannedSFrameKeysOpenTheSessionsFrames() throws Exception {
    assertFalse(SUITE.isCtrHmac(), "the check below opens an AEAD suite");
    byte[] sealed = wireFrame.payload();
    SFrameHeader h = SFrameHeader.decode(sealed, 0, sealed.length);
    assertEquals(wireFrame.epoch(), h.kid());
    String e = "epoch " + h.kid();
    byte[] nonce = keys.get("SFrame salt " + e);
    for (int i = 0; i < 8; i++) { // salt XOR the counter, big-endian, in the last 8 bytes
      nonce[nonce.length - 1 - i] ^= (byte) (h.counter() >>> (8 * i));
    }
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.get("SFrame key " + e), "AES"),
        new GCMParameterSpec(8 * SUITE.tagBytes(), nonce));
    gcm.updateAAD(sealed, 0, h.encodedLength());
    byte[] opened = gcm.doFinal(sealed, h.encodedLength(), sealed.length - h.encodedLength()); // the tag verifies
    assertTrue(opened.length > 18, "a live frame: its 18-byte prefix and the video");
  }

  @Test
  void loggingWasAtTraceAndCaptured() {
    Logger log = LoggerFactory.getLogger(LiveKeyHygieneTest.class);
    assertTrue(log.isTraceEnabled(), "SLF4J simple logger is not at TRACE: the scan would prove little");
    String err = errCapture.toString(StandardCharsets.UTF_8);
    // camera, viewer and relay all logged into the capture during the session
    assertTrue(err.contains("dev.obscura.crypto.live.LiveCamera - live porch: started"), err);
    assertTrue(err.contains("dev.obscura.crypto.live.LiveViewer - stale frame refused"), err);
    assertTrue(err.contains("relay listening on"), err);
  }

  @Test
  void noKeyAppearsInOutputOrAnyLogLine() {
    // 2 tokens, camera seed, pairing secret, 3 devices x 2, epoch key and its 4 SFrame keys
    assertEquals(2 + 2 + 6 + 5, keys.size(), keys.names().toString());
    String hay = everything();
    long logLines = errCapture.toString(StandardCharsets.UTF_8).lines().count();
    assertTrue(logLines > 20 && hay.length() > 5000, "too little was captured to mean anything");
    List<String> leaks = keys.leaks(hay);
    System.out.printf("LiveKeyHygieneTest: %d keys, %d windows of %d bytes, %d search strings; scanned %d characters"
        + " of output and %d log lines%n", keys.size(), keys.windowCount(), SecretScan.WINDOW, keys.formCount(),
        text.length(), logLines);
    assertTrue(leaks.isEmpty(), "key material found: " + leaks);
  }

  @Test
  void theScanFindsAPlantedKey() {
    Logger log = LoggerFactory.getLogger("planted");
    byte[] salt = keys.get("SFrame salt epoch 0");
    // the salt's last 8 bytes, one byte into a base64url blob: a window at alignment 1
    byte[] blob = new byte[1 + 8];
    System.arraycopy(salt, salt.length - 8, blob, 1, 8);
    String planted = "control " + Base64.getUrlEncoder().withoutPadding().encodeToString(blob) + " end";
    log.trace(planted);
    try {
      assertTrue(errCapture.toString(StandardCharsets.UTF_8).contains(planted), "the planted line was not captured");
      List<String> found = keys.leaks(everything());
      assertEquals(1, found.size(), found.toString());
      assertTrue(found.get(0).startsWith("SFrame salt epoch 0 as base64"), found.toString());
    } finally { // remove the planted line again so the order of tests does not matter
      String cleaned = errCapture.toString(StandardCharsets.UTF_8).replace(planted, "");
      errCapture.reset();
      errCapture.writeBytes(cleaned.getBytes(StandardCharsets.UTF_8));
    }
    assertFalse(everything().contains(planted));
    // every encoding of every key is found, alone or inside other text
    for (String name : keys.names()) {
      for (String form : SecretScan.forms(keys.get(name))) {
        assertEquals(List.of(name), keys.leaks("x" + form + "y").stream().map(f -> f.substring(0, f.indexOf(" as "))).toList(),
            name + " as " + form);
      }
    }
    byte[] epoch = keys.get("live epoch key epoch 0");
    assertFalse(keys.leaks("[" + HexFormat.of().withUpperCase().formatHex(epoch, 11, 19) + "]").isEmpty(), "a hex window");
    assertTrue(keys.leaks("[" + HexFormat.of().formatHex(epoch, 11, 18) + "]").isEmpty(), "7 bytes are not a window");
    assertFalse(keys.leaks("token=" + PUB).isEmpty(), "a token as text");
  }
}
