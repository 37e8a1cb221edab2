package dev.obscura.crypto.testing;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A JCA provider for tests that proves which provider a sealer really used: it offers every
 * service of the provider it wraps (Bouncy Castle by default, a real second implementation of
 * AES-GCM, AES-CTR and HMAC) and counts each instance the JCA makes of one, by {@code
 * "type/algorithm"} as asked for. A sealer that ignored its configured provider would leave the
 * counts at zero; one that looked a primitive up per frame would make them grow with the frames.
 * {@link #refusing()} offers nothing, so every lookup in it fails.
 */
public final class CountingProvider extends Provider {
  private static final long serialVersionUID = 1L;

  private final transient Provider inner;
  private final transient Map<String, AtomicInteger> counts = new TreeMap<>();

  /** Counts the services of Bouncy Castle. */
  public CountingProvider() {
    this(new BouncyCastleProvider());
  }

  /** Counts the services of {@code inner}. */
  public CountingProvider(Provider inner) {
    super("Counting", "1.0", "counts the services it hands out");
    this.inner = inner;
  }

  /** A provider with no services at all: every lookup in it fails. */
  public static Provider refusing() {
    return new Provider("Refusing", "1.0", "offers nothing") {
      private static final long serialVersionUID = 1L;
    };
  }

  @Override
  public synchronized Service getService(String type, String algorithm) {
    Service s = inner == null ? null : inner.getService(type, algorithm);
    if (s == null) {
      return null;
    }
    String key = type + "/" + algorithm;
    return new Service(this, type, s.getAlgorithm(), s.getClassName(), null, null) {
      @Override
      public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
        count(key).incrementAndGet();
        return s.newInstance(parameter);
      }
    };
  }

  private synchronized AtomicInteger count(String key) {
    return counts.computeIfAbsent(key, k -> new AtomicInteger());
  }

  /**
   * How many instances of {@code type} were made whose JCA name starts with {@code prefix}
   * (e.g. {@code ("Cipher", "AES")}: the JCA asks for the base algorithm of a transformation).
   */
  public synchronized int made(String type, String prefix) {
    int n = 0;
    for (Map.Entry<String, AtomicInteger> e : counts.entrySet()) {
      if (e.getKey().startsWith(type + "/" + prefix)) {
        n += e.getValue().get();
      }
    }
    return n;
  }

  /** Every count, for a failure message. */
  public synchronized Map<String, Integer> counts() {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
