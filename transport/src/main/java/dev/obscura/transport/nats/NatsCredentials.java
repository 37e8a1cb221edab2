package dev.obscura.transport.nats;

import dev.obscura.core.AtomicFiles;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import io.nats.client.NKey;
import io.nats.client.support.JsonSerializable;
import io.nats.client.support.JwtUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vendor backend's NATS authority, in NATS's decentralised JWT model without {@code nsc}: one
 * operator (this object, holding the operator's NKey seed), one account per household (tenant
 * isolation: subjects of one account never reach another), and one user per camera and per
 * viewer device, whose JWT allows only the subjects of {@link NatsSubjects} that device needs.
 * The server holds no key of Obscura's: these keys only decide who may route what.
 *
 * <p>Account keys are derived from the operator seed and the household id (SHA-256), so the
 * backend stores one secret and mints any household's credentials again; the server learns the
 * account JWTs from {@link #serverConfig} ({@code resolver: MEMORY} with {@code
 * resolver_preload}; a large deployment pushes them to the {@code full} resolver instead, see
 * {@code docs/nats.md}). Each account JWT enables JetStream with a memory limit for the live
 * cache (envelope and newest keyframe of each camera).
 *
 * <p>Permissions: a camera may publish its own three live subjects and its events subject,
 * create and read the info of its household's live and events streams, and subscribe to its own
 * inbox; a viewer may subscribe to the live subjects of the cameras it is given (or of the
 * household), send direct gets for their stored messages, create consumers of the household's
 * events stream filtered to those cameras' events subjects (or to any of the household's), read,
 * pull from, delete and ack consumers of that stream, and subscribe to its own inbox. Nothing of
 * another household: each is another account, and every subject names the household.
 *
 * <p><b>Security guarantees:</b> seeds are never in {@code toString()}, logs or exception
 * messages; {@link #destroy()} overwrites the operator seed. {@link #verifyChain} checks the
 * Ed25519 signatures of user, account and operator JWT and that each names the next.
 *
 * <p><b>Restrictions:</b> thread-safe (immutable apart from {@link #destroy()}).
 */
public final class NatsCredentials {
  /** The name of the system account in the server configuration. */
  public static final String SYSTEM_ACCOUNT = "SYS";
  /** The prefix of the user JWT tag that names the household (routing metadata, not a secret). */
  public static final String HOUSEHOLD_TAG = "obscura-household:";
  private static final Pattern SEED_BLOCK = Pattern.compile(
      "-----BEGIN OPERATOR NKEY SEED-----\\s*\\R(SO[A-Z2-7]+)\\s*\\R-*END OPERATOR NKEY SEED-*");
  private static final long DEFAULT_MEMORY_PER_HOUSEHOLD = 256L << 20;
  private static final long DEFAULT_DISK_PER_HOUSEHOLD = 1L << 30;

  private final char[] operatorSeed;
  private final NKey operator;
  private final String operatorPublicKey;
  private final String name;
  private final long memoryPerHousehold;
  private final long diskPerHousehold;

  private NatsCredentials(char[] seed, String name, long memoryPerHousehold)
      throws GeneralSecurityException {
    this(seed, name, memoryPerHousehold, DEFAULT_DISK_PER_HOUSEHOLD);
  }

  private NatsCredentials(char[] seed, String name, long memoryPerHousehold,
      long diskPerHousehold) throws GeneralSecurityException {
    this.operatorSeed = seed.clone();
    try {
      this.operator = NKey.fromSeed(operatorSeed.clone());
      if (operator.getType() != NKey.Type.OPERATOR) {
        throw new GeneralSecurityException("not an operator NKey seed");
      }
      this.operatorPublicKey = new String(operator.getPublicKey());
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("not a valid operator NKey seed");
    }
    this.name = NatsSubjects.user(name);
    this.memoryPerHousehold = memoryPerHousehold;
    this.diskPerHousehold = diskPerHousehold;
  }

  /**
   * Creates a new operator with a fresh random key.
   *
   * @param name the operator's name in its JWT (a {@link NatsSubjects#user} name)
   * @return the authority
   * @throws GeneralSecurityException if no secure random source or Ed25519 is available
   */
  public static NatsCredentials createOperator(String name) throws GeneralSecurityException {
    try {
      NKey k = NKey.createOperator(new SecureRandom());
      char[] seed = k.getSeed();
      try {
        return new NatsCredentials(seed, name, DEFAULT_MEMORY_PER_HOUSEHOLD);
      } finally {
        Arrays.fill(seed, '\0');
      }
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an operator NKey", e);
    }
  }

  /**
   * Reads an operator key file written by {@link #writeOperatorKey}.
   *
   * @param file the file
   * @param name the operator's name
   * @return the authority
   * @throws MalformedDataException if the file holds no operator seed
   * @throws GeneralSecurityException if the seed is not a valid operator NKey
   * @throws IOException if it cannot be read
   */
  public static NatsCredentials readOperatorKey(Path file, String name)
      throws IOException, MalformedDataException, GeneralSecurityException {
    byte[] b = Files.readAllBytes(file);
    try {
      Matcher m = SEED_BLOCK.matcher(new String(b, StandardCharsets.US_ASCII));
      if (!m.find()) {
        throw new MalformedDataException("not an Obscura NATS operator key file");
      }
      return new NatsCredentials(m.group(1).toCharArray(), name, DEFAULT_MEMORY_PER_HOUSEHOLD);
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * Writes the operator seed to a new file, readable by the owner only (POSIX).
   *
   * @param file where to write; it must not exist
   * @throws java.nio.file.FileAlreadyExistsException if it exists
   * @throws IOException if it cannot be written
   */
  public void writeOperatorKey(Path file) throws IOException {
    String text = "-----BEGIN OPERATOR NKEY SEED-----\n" + new String(operatorSeed)
        + "\n------END OPERATOR NKEY SEED------\n";
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    try {
      AtomicFiles.writeNew(file, b, true);
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /**
   * A copy with another JetStream memory limit per household account (default 256 MiB).
   *
   * @param bytes the limit, positive
   * @return the copy
   * @throws GeneralSecurityException never for a valid authority
   */
  public NatsCredentials withMemoryPerHousehold(long bytes) throws GeneralSecurityException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("memory limit must be positive");
    }
    return new NatsCredentials(operatorSeed, name, bytes, diskPerHousehold);
  }

  /**
   * A copy with another JetStream file storage limit per household account (default 1 GiB),
   * which the events stream ({@link NatsSubjects#eventsStream}) counts against.
   *
   * @param bytes the limit, positive
   * @return the copy
   * @throws GeneralSecurityException never for a valid authority
   */
  public NatsCredentials withDiskPerHousehold(long bytes) throws GeneralSecurityException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("disk limit must be positive");
    }
    return new NatsCredentials(operatorSeed, name, memoryPerHousehold, bytes);
  }

  /** @return the operator's public NKey ({@code O...}) */
  public String operatorPublicKey() {
    return operatorPublicKey;
  }

  /**
   * The operator JWT (self-signed), naming the system account.
   *
   * @return the JWT
   * @throws GeneralSecurityException if signing fails
   */
  public String operatorJwt() throws GeneralSecurityException {
    String sys = accountPublicKey(SYSTEM_ACCOUNT);
    return issue(operator, operatorPublicKey, name, operatorPublicKey,
        () -> "{\"system_account\":\"" + sys + "\",\"type\":\"operator\",\"version\":2}");
  }

  /**
   * The public NKey of a household's account (derived, so stable).
   *
   * @param household the household id, or {@link #SYSTEM_ACCOUNT}
   * @return {@code A...}
   * @throws GeneralSecurityException if the derivation fails
   */
  public String accountPublicKey(String household) throws GeneralSecurityException {
    return publicKey(accountKey(household));
  }

  /**
   * The account JWT of a household (signed by the operator), with JetStream enabled: memory
   * storage (the live cache) and file storage (the events stream) up to the household limits,
   * at most 4 streams.
   *
   * @param household the household id, or {@link #SYSTEM_ACCOUNT}
   * @return the JWT
   * @throws GeneralSecurityException if signing fails
   */
  public String accountJwt(String household) throws GeneralSecurityException {
    String pub = accountPublicKey(household);
    boolean sys = SYSTEM_ACCOUNT.equals(household);
    String js = sys ? "" : ",\"mem_storage\":" + memoryPerHousehold
        + ",\"disk_storage\":" + diskPerHousehold + ",\"streams\":4,\"consumer\":-1";
    String limits = "{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,"
        + "\"wildcards\":true,\"conn\":-1,\"leaf\":-1" + js + "}";
    return issue(operator, pub, household, operatorPublicKey,
        () -> "{\"limits\":" + limits + ",\"type\":\"account\",\"version\":2}");
  }

  /**
   * Credentials for a camera: publish its own stream's subjects only.
   *
   * @param household the household id
   * @param camera the camera's stream
   * @return the user's JWT and seed
   * @throws GeneralSecurityException if key generation or signing fails
   */
  public NatsUserCreds camera(String household, StreamId camera) throws GeneralSecurityException {
    String user = "camera-" + NatsSubjects.cameraToken(camera);
    List<String> pub = new ArrayList<>();
    pub.add(NatsSubjects.subject(household, camera, NatsSubjects.ENVELOPE));
    pub.add(NatsSubjects.subject(household, camera, NatsSubjects.KEYFRAME));
    pub.add(NatsSubjects.subject(household, camera, NatsSubjects.FRAME));
    pub.add(NatsSubjects.events(household, camera));
    for (String stream : new String[] {
        NatsSubjects.liveStream(household), NatsSubjects.eventsStream(household)}) {
      pub.add("$JS.API.STREAM.CREATE." + stream);
      pub.add("$JS.API.STREAM.INFO." + stream);
    }
    return user(household, user, pub, Arrays.asList(NatsSubjects.inboxPrefix(user) + ".>"));
  }

  /**
   * Credentials for a viewer device: subscribe to the given cameras of its household only (all
   * of the household's cameras if none are given) and read their stored envelope and keyframe.
   *
   * @param household the household id
   * @param viewer the device's name ({@link NatsSubjects#user})
   * @param cameras the cameras it may watch; none for every camera of the household
   * @return the user's JWT and seed
   * @throws GeneralSecurityException if key generation or signing fails
   */
  public NatsUserCreds viewer(String household, String viewer, StreamId... cameras)
      throws GeneralSecurityException {
    String user = "viewer-" + NatsSubjects.user(viewer);
    List<String> sub = new ArrayList<>();
    List<String> pub = new ArrayList<>();
    String events = NatsSubjects.eventsStream(household);
    if (cameras.length == 0) {
      String all = NatsSubjects.ROOT + ".live." + NatsSubjects.household(household) + ".*.*";
      sub.add(all);
      pub.add(NatsSubjects.directGet(household, all));
      pub.add("$JS.API.CONSUMER.CREATE." + events + ".*."
          + NatsSubjects.eventsStreamSubjects(household));
    } else {
      for (StreamId c : cameras) {
        String s = NatsSubjects.viewerSubscription(household, c);
        sub.add(s);
        pub.add(NatsSubjects.directGet(household, s));
        pub.add("$JS.API.CONSUMER.CREATE." + events + ".*." + NatsSubjects.events(household, c));
      }
    }
    // its consumers of the household's events: read, pull, delete, ack (no other stream's)
    pub.add("$JS.API.CONSUMER.INFO." + events + ".*");
    pub.add("$JS.API.CONSUMER.MSG.NEXT." + events + ".*");
    pub.add("$JS.API.CONSUMER.DELETE." + events + ".*");
    pub.add("$JS.ACK." + events + ".>");
    sub.add(NatsSubjects.inboxPrefix(user) + ".>");
    return user(household, user, pub, sub);
  }

  /**
   * The part of a {@code nats-server} configuration that makes it trust this operator and know
   * the accounts: {@code operator}, {@code system_account}, {@code resolver: MEMORY} and {@code
   * resolver_preload} with the system account and every given household. It holds no secret.
   *
   * @param households the households to preload
   * @return configuration text
   * @throws GeneralSecurityException if signing fails
   */
  public String serverConfig(Collection<String> households) throws GeneralSecurityException {
    StringBuilder b = new StringBuilder();
    b.append("operator: ").append(operatorJwt()).append('\n');
    b.append("system_account: ").append(accountPublicKey(SYSTEM_ACCOUNT)).append('\n');
    b.append("resolver: MEMORY\n");
    b.append("resolver_preload: {\n");
    b.append("  ").append(accountPublicKey(SYSTEM_ACCOUNT)).append(": ")
        .append(accountJwt(SYSTEM_ACCOUNT)).append('\n');
    for (String h : households) {
      b.append("  ").append(accountPublicKey(h)).append(": ").append(accountJwt(h)).append('\n');
    }
    b.append("}\n");
    return b.toString();
  }

  /**
   * Checks a user JWT's chain: the operator JWT is self-signed by {@code operatorPublicKey}, the
   * account JWT is signed by the operator, the user JWT by the account; none has expired.
   *
   * @param userJwt the user JWT
   * @param accountJwt the account JWT of its household
   * @param operatorJwt the operator JWT
   * @param operatorPublicKey the operator key the caller trusts ({@code O...})
   * @throws IntegrityException if a signature is bad, a link names another key, or a JWT expired
   * @throws MalformedDataException if a JWT cannot be parsed or is of the wrong type
   */
  public static void verifyChain(String userJwt, String accountJwt, String operatorJwt,
      String operatorPublicKey) throws IntegrityException, MalformedDataException {
    NatsJwt op = NatsJwt.parse(operatorJwt);
    NatsJwt acc = NatsJwt.parse(accountJwt);
    NatsJwt user = NatsJwt.parse(userJwt);
    expectType(op, "operator");
    expectType(acc, "account");
    expectType(user, "user");
    long now = System.currentTimeMillis() / 1000;
    if (!op.subject().equals(operatorPublicKey)) {
      throw new IntegrityException("operator JWT is of another operator");
    }
    op.verifySignedBy(operatorPublicKey);
    acc.verifySignedBy(operatorPublicKey);
    user.verifySignedBy(acc.subject());
    op.checkNotExpired(now);
    acc.checkNotExpired(now);
    user.checkNotExpired(now);
    String ia = user.issuerAccount();
    if (ia != null && !ia.equals(acc.subject())) {
      throw new IntegrityException("user JWT names another issuer account");
    }
  }

  private static void expectType(NatsJwt jwt, String type) throws MalformedDataException {
    if (!type.equals(jwt.type())) {
      throw new MalformedDataException("expected a " + type + " JWT, got a " + jwt.type() + " JWT");
    }
  }

  /** Overwrites the operator seed held here. */
  public void destroy() {
    Arrays.fill(operatorSeed, '\0');
    operator.clear();
  }

  /** The operator's name and public key; never the seed. */
  @Override
  public String toString() {
    return "NatsCredentials[operator " + name + " " + operatorPublicKey + "]";
  }

  /** The one permission builder: a user of the household allowed exactly these subjects. */
  private NatsUserCreds user(String household, String user, List<String> pub, List<String> sub)
      throws GeneralSecurityException {
    JwtUtils.UserClaim claim = new JwtUtils.UserClaim(accountPublicKey(household))
        .tags(HOUSEHOLD_TAG + household)
        .pub(new JwtUtils.Permission().allow(pub.toArray(new String[0])))
        .sub(new JwtUtils.Permission().allow(sub.toArray(new String[0])));
    NKey account = accountKey(household);
    try {
      NKey u = NKey.createUser(new SecureRandom());
      String jwt = JwtUtils.issueUserJWT(account, new String(u.getPublicKey()), user, null,
          JwtUtils.currentTimeSeconds(), claim);
      char[] seed = u.getSeed();
      try {
        return new NatsUserCreds(jwt, seed);
      } finally {
        Arrays.fill(seed, '\0');
        u.clear();
      }
    } catch (IOException | MalformedDataException e) {
      throw new GeneralSecurityException("cannot issue a user JWT", e);
    } finally {
      account.clear();
    }
  }

  private static String issue(NKey signer, String subject, String name, String issuer,
      JsonSerializable nats) throws GeneralSecurityException {
    try {
      return JwtUtils.issueJWT(signer, subject, name, null, JwtUtils.currentTimeSeconds(), issuer,
          nats);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot sign a NATS JWT", e);
    }
  }

  private static String publicKey(NKey k) throws GeneralSecurityException {
    try {
      return new String(k.getPublicKey());
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot read an NKey's public key", e);
    } finally {
      k.clear();
    }
  }

  /**
   * The household's account NKey, its 32-byte Ed25519 seed derived from the operator seed:
   * SHA-256(label || household || 0x00 || operator seed). The operator seed is 32 random bytes,
   * so the hash of it with a distinct prefix per household is a key of the same strength (no
   * {@code javax.crypto} here: transport names no cipher or MAC, see the architecture rule).
   */
  private NKey accountKey(String household) throws GeneralSecurityException {
    String h = SYSTEM_ACCOUNT.equals(household) ? household : NatsSubjects.household(household);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(("obscura/nats/account/v1/" + h).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    byte[] key = new String(operatorSeed).getBytes(StandardCharsets.US_ASCII);
    sha.update(key);
    Arrays.fill(key, (byte) 0);
    byte[] derived = sha.digest();
    try {
      return NKey.createAccount(new FixedBytes(derived));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot derive an account NKey", e);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  /**
   * Hands NKey's key generation the derived 32 bytes (NKey draws its seed with one {@code
   * nextBytes} of 32 bytes; NatsCredentialsTest checks the derivation is stable).
   */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("NKey asked for " + out.length + " random bytes, not 32");
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
