package dev.obscura.transport.nats;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import io.nats.client.NKey;
import io.nats.client.support.JsonParseException;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The claims of one NATS JWT (operator, account or user) and the check of its Ed25519 signature
 * against its issuer's public NKey. Parsing is bounded and names fields, never the token.
 */
final class NatsJwt {
  private static final int MAX_JWT_CHARS = 64 * 1024;

  private final String signedPart;
  private final byte[] signature;
  private final JsonValue body;
  private final String type;
  private final String issuer;
  private final String subject;
  private final String name;

  private NatsJwt(String signedPart, byte[] signature, JsonValue body, String type, String issuer,
      String subject, String name) {
    this.signedPart = signedPart;
    this.signature = signature;
    this.body = body;
    this.type = type;
    this.issuer = issuer;
    this.subject = subject;
    this.name = name;
  }

  static NatsJwt parse(String jwt) throws MalformedDataException {
    if (jwt.length() > MAX_JWT_CHARS) {
      throw new MalformedDataException("NATS JWT longer than " + MAX_JWT_CHARS + " characters");
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new MalformedDataException("NATS JWT does not have three parts");
    }
    try {
      JsonValue header = json(Base64.getUrlDecoder().decode(parts[0]));
      if (header.map == null || !"ed25519-nkey".equals(str(header, "alg"))) {
        throw new MalformedDataException("NATS JWT header does not name ed25519-nkey");
      }
      JsonValue body = json(Base64.getUrlDecoder().decode(parts[1]));
      byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
      if (body.map == null) {
        throw new MalformedDataException("NATS JWT body is not a JSON object");
      }
      JsonValue nats = body.map.get("nats");
      String type = nats == null || nats.map == null ? null : str(nats, "type");
      String iss = str(body, "iss");
      String sub = str(body, "sub");
      if (type == null || iss == null || sub == null) {
        throw new MalformedDataException("NATS JWT lacks iss, sub or nats.type");
      }
      String name = str(body, "name");
      return new NatsJwt(parts[0] + "." + parts[1], sig, body, type, iss, sub,
          name == null ? sub : name);
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("NATS JWT is not base64url JSON");
    }
  }

  /** JSON objects nest no deeper than this in a JWT we accept (jnats' parser recurses). */
  private static final int MAX_JSON_DEPTH = 32;

  /**
   * Parses JSON with jnats' parser, whose failures on bad input are not documented (a cut-short
   * escape gives a {@link StringIndexOutOfBoundsException}, found by {@code NatsCredsFuzzTest}):
   * every failure of that one call is a malformed JWT. Nesting is checked first, so the recursive
   * parser cannot overflow the stack.
   */
  private static JsonValue json(byte[] b) throws MalformedDataException {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < b.length; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > MAX_JSON_DEPTH) {
          throw new MalformedDataException("NATS JWT nests JSON deeper than " + MAX_JSON_DEPTH);
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    try {
      return JsonParser.parse(b);
    } catch (JsonParseException | RuntimeException e) {
      throw new MalformedDataException("NATS JWT is not base64url JSON");
    }
  }

  private static String str(JsonValue v, String key) {
    JsonValue f = v.map.get(key);
    return f == null ? null : f.string;
  }

  /** Checks that {@code issuerKey} signed this JWT and is its {@code iss}. */
  void verifySignedBy(String issuerKey) throws IntegrityException {
    if (!issuer.equals(issuerKey)) {
      throw new IntegrityException(type + " JWT of " + name + " is issued by another key");
    }
    boolean ok;
    try {
      ok = NKey.fromPublicKey(issuerKey.toCharArray())
          .verify(signedPart.getBytes(StandardCharsets.US_ASCII), signature);
    } catch (Exception e) {
      ok = false;
    }
    if (!ok) {
      throw new IntegrityException(type + " JWT of " + name + " has a bad signature");
    }
  }

  /** Checks that the JWT has not expired at {@code nowSeconds} (no {@code exp}: never expires). */
  void checkNotExpired(long nowSeconds) throws IntegrityException {
    JsonValue exp = body.map.get("exp");
    if (exp != null && exp.l != null && exp.l <= nowSeconds
        || exp != null && exp.i != null && exp.i <= nowSeconds) {
      throw new IntegrityException(type + " JWT of " + name + " has expired");
    }
  }

  String type() {
    return type;
  }

  String issuer() {
    return issuer;
  }

  String subject() {
    return subject;
  }

  String name() {
    return name;
  }

  /** The value of the first {@code nats.tags} entry {@code prefix + value}, else null. */
  String tag(String prefix) {
    JsonValue tags = body.map.get("nats").map.get("tags");
    if (tags == null || tags.array == null) {
      return null;
    }
    for (JsonValue t : tags.array) {
      if (t.string != null && t.string.startsWith(prefix)) {
        return t.string.substring(prefix.length());
      }
    }
    return null;
  }

  /** The {@code nats.issuer_account} of a user JWT signed by a signing key, else null. */
  String issuerAccount() {
    JsonValue v = body.map.get("nats").map.get("issuer_account");
    return v == null ? null : v.string;
  }

  @Override
  public String toString() {
    return "NatsJwt[" + type + " " + name + "]";
  }
}
