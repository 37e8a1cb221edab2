package dev.obscura.transport.nats;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the reader of a NATS {@code .creds} file (a file a user is handed by the household's
 * vendor) and of the user JWT inside it: {@link NatsUserCreds#parse}, {@link NatsJwt#parse} and
 * the checks run on a parsed JWT ({@link NatsJwt#verifySignedBy}, {@link
 * NatsJwt#checkNotExpired}, tags).
 *
 * <p>Invariants: parsing throws only {@link MalformedDataException}, the checks only {@link
 * IntegrityException}; parsed credentials written out ({@link NatsUserCreds#text()}) parse again
 * to the same JWT, user, keys and household (the file is not canonical: the text around the two
 * blocks is dropped); {@code toString()} holds neither the seed nor the JWT. The input's bytes are
 * read as UTF-8, as {@link NatsUserCreds#read} does. Corpus: {@code NatsCredsFuzzTestInputs/}
 * (real camera and viewer creds minted by {@link NatsCredentials}, odd ones, findings).
 */
class NatsCredsFuzzTest {
  private static final Pattern SEED = Pattern.compile("SU[A-Z2-7]+");

  @FuzzTest
  void parseArbitraryCreds(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    NatsUserCreds creds;
    try {
      creds = NatsUserCreds.parse(text);
    } catch (MalformedDataException e) {
      jwtOnly(text);
      return;
    }
    NatsUserCreds again;
    try {
      again = NatsUserCreds.parse(creds.text());
    } catch (MalformedDataException e) {
      throw new AssertionError("written creds do not parse", e);
    }
    if (!again.jwt().equals(creds.jwt()) || !again.userName().equals(creds.userName())
        || !again.publicKey().equals(creds.publicKey())
        || !again.accountPublicKey().equals(creds.accountPublicKey())
        || !again.household().equals(creds.household())
        || !again.text().equals(creds.text())) {
      throw new AssertionError("creds changed in a write/parse round trip");
    }
    String shown = creds.toString();
    Matcher seed = SEED.matcher(creds.text());
    if (seed.find() && shown.contains(seed.group())) {
      throw new AssertionError("toString shows the seed");
    }
    if (shown.contains(creds.jwt())) {
      throw new AssertionError("toString shows the JWT");
    }
    checks(creds.claims());
  }

  /** The JWT parser on its own: the text as a JWT, and every dotted run in it. */
  private static void jwtOnly(String text) {
    NatsJwt jwt;
    try {
      jwt = NatsJwt.parse(text.trim());
    } catch (MalformedDataException e) {
      return;
    }
    checks(jwt);
  }

  private static void checks(NatsJwt jwt) {
    if (jwt.type() == null || jwt.issuer() == null || jwt.subject() == null || jwt.name() == null) {
      throw new AssertionError("parsed JWT without type, iss, sub or name");
    }
    try {
      jwt.verifySignedBy(jwt.issuer());
    } catch (IntegrityException expected) {
      // typed: almost every fuzzed JWT has a bad signature
    }
    try {
      jwt.checkNotExpired(1_800_000_000L);
    } catch (IntegrityException expected) {
      // typed
    }
    jwt.tag(NatsCredentials.HOUSEHOLD_TAG);
    jwt.issuerAccount();
  }
}
