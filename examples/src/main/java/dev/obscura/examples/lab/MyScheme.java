package dev.obscura.examples.lab;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.scheme.SchemeContext;
import dev.obscura.crypto.scheme.SealingScheme;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A researcher's own scheme for the lab: one ChaCha20-Poly1305 record per frame (JCA, JDK 11+).
 *
 * <p>Record: {@code salt(16) | segment(8) | index(4) | count(4) | pts(8) | keyframe(1) |
 * ciphertext | tag(16)}. Each sealer draws a random salt and seals under {@code
 * HMAC-SHA256(streamKey, "my-scheme/v1" | salt)}, so two sealers of one stream never share a
 * key and nonce; the nonce is {@code segment(8) | index(4)}. The clear header is the associated
 * data together with the stream id, so the opener rejects a record that was changed, moved to
 * another position, segment or stream, dropped (the count) or added.
 *
 * <p>An example, not a product scheme: it has no test vectors and no spec.
 */
public final class MyScheme implements SealingScheme {
  static final int SALT = 16;
  static final int HEADER = SALT + 8 + 4 + 4 + 8 + 1;
  static final int TAG = 16;
  private static final byte[] LABEL = "my-scheme/v1".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String name() {
    return "my-chacha";
  }

  @Override
  public String description() {
    return "example: one ChaCha20-Poly1305 record per frame, per-sealer salted key, header as AAD";
  }

  @Override
  public Protection protection() {
    return Protection.AUTHENTICATED;
  }

  @Override
  public Sealer sealer(SchemeContext context) throws IOException {
    byte[] salt = new byte[SALT];
    context.entropy().nextBytes(salt);
    Chacha c = new Chacha(context, salt);
    long[] segment = {0};
    return frames -> {
      List<byte[]> out = new ArrayList<>(frames.size());
      long s = segment[0]++;
      for (int i = 0; i < frames.size(); i++) {
        EncodedFrame f = frames.get(i);
        byte[] rec = new byte[HEADER + f.data().length + TAG];
        ByteBuffer.wrap(rec).put(salt).putLong(s).putInt(i).putInt(frames.size())
            .putLong(f.presentationMicros()).put((byte) (f.keyframe() ? 1 : 0));
        c.seal(rec, f.data());
        out.add(rec);
      }
      return out;
    };
  }

  @Override
  public Opener opener(SchemeContext context) {
    long[] segment = {0};
    Chacha[] keyed = {null};
    return records -> {
      long s = segment[0];
      List<EncodedFrame> out = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        byte[] rec = records.get(i);
        if (rec.length < HEADER + TAG) {
          throw new MalformedDataException("record " + i + " is " + rec.length + " bytes, shorter than a header");
        }
        ByteBuffer h = ByteBuffer.wrap(rec);
        byte[] salt = new byte[SALT];
        h.get(salt);
        if (h.getLong() != s || h.getInt() != i || h.getInt() != records.size()) {
          throw new IntegrityException("record " + i + " is not frame " + i + " of " + records.size()
              + " of segment " + s);
        }
        long pts = h.getLong();
        boolean key = h.get() == 1;
        if (keyed[0] == null || !Arrays.equals(keyed[0].salt, salt)) {
          keyed[0] = new Chacha(context, salt);
        }
        out.add(new EncodedFrame(pts, key, keyed[0].open(rec)));
      }
      segment[0]++;
      return out;
    };
  }

  /** ChaCha20-Poly1305 under the key of one salt. */
  private static final class Chacha {
    final byte[] salt;
    private final SecretKeySpec key;
    private final byte[] stream;
    private final Cipher cipher;

    Chacha(SchemeContext context, byte[] salt) throws IOException {
      this.salt = salt.clone();
      this.stream = context.stream().toBytes();
      byte[] k = context.key().toByteArray(InsecureSecretAccess.get());
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k, "HmacSHA256"));
        mac.update(LABEL);
        byte[] derived = mac.doFinal(salt);
        this.key = new SecretKeySpec(derived, "ChaCha20");
        Arrays.fill(derived, (byte) 0);
        this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
      } catch (GeneralSecurityException e) {
        throw new IOException("ChaCha20-Poly1305 is not available", e);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    }

    /** Encrypts {@code plaintext} into {@code rec} after its header. */
    void seal(byte[] rec, byte[] plaintext) throws IOException {
      try {
        init(Cipher.ENCRYPT_MODE, rec);
        cipher.doFinal(plaintext, 0, plaintext.length, rec, HEADER);
      } catch (GeneralSecurityException e) {
        throw new IOException("ChaCha20-Poly1305 failed", e);
      }
    }

    byte[] open(byte[] rec) throws IOException, IntegrityException {
      try {
        init(Cipher.DECRYPT_MODE, rec);
        return cipher.doFinal(rec, HEADER, rec.length - HEADER);
      } catch (AEADBadTagException e) {
        throw new IntegrityException("a record does not authenticate");
      } catch (GeneralSecurityException e) {
        throw new IOException("ChaCha20-Poly1305 failed", e);
      }
    }

    private void init(int mode, byte[] rec) throws GeneralSecurityException {
      byte[] nonce = Arrays.copyOfRange(rec, SALT, SALT + 12); // segment(8) | index(4)
      cipher.init(mode, key, new IvParameterSpec(nonce));
      cipher.updateAAD(stream);
      cipher.updateAAD(rec, 0, HEADER);
    }
  }
}
