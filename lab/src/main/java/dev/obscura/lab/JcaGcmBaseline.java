package dev.obscura.lab;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.scheme.SchemeContext;
import dev.obscura.crypto.scheme.SealingScheme;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The lab's baseline, not a scheme: one JCA {@code AES/GCM/NoPadding} call per frame with a
 * counter nonce that is never stored (16 bytes of tag per frame, nothing else), so a scheme's
 * ratio to it is what its format costs over the cipher. It returns one new array per record as the
 * SPI asks of every scheme. Its opener counts frames itself and does not restore timestamps or
 * keyframe flags.
 */
final class JcaGcmBaseline implements SealingScheme {
  static final int TAG_BYTES = 16;

  @Override
  public String name() {
    return Lab.BASELINE;
  }

  @Override
  public String description() {
    return "baseline: raw JCA AES-256-GCM, one Cipher.doFinal per frame, implicit counter nonce, 16-byte tag";
  }

  @Override
  public Protection protection() {
    return Protection.AUTHENTICATED;
  }

  @Override
  public Sealer sealer(SchemeContext context) throws IOException {
    Gcm gcm = new Gcm(context, Cipher.ENCRYPT_MODE);
    return segment -> {
      List<byte[]> out = new ArrayList<>(segment.size());
      for (EncodedFrame f : segment) {
        out.add(gcm.seal(f.data()));
      }
      return out;
    };
  }

  @Override
  public Opener opener(SchemeContext context) throws IOException {
    Gcm gcm = new Gcm(context, Cipher.DECRYPT_MODE);
    return records -> {
      List<EncodedFrame> out = new ArrayList<>(records.size());
      for (byte[] r : records) {
        out.add(new EncodedFrame(0, false, gcm.open(r)));
      }
      return out;
    };
  }

  private static final class Gcm {
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final int mode;
    private final byte[] nonce = new byte[12];
    private long counter;

    Gcm(SchemeContext context, int mode) throws IOException {
      byte[] k = context.key().toByteArray(InsecureSecretAccess.get());
      this.key = new SecretKeySpec(k, "AES");
      java.util.Arrays.fill(k, (byte) 0);
      this.mode = mode;
      try {
        this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IOException("AES/GCM/NoPadding is not available", e);
      }
    }

    byte[] seal(byte[] in) throws IOException {
      try {
        return run(in);
      } catch (AEADBadTagException e) {
        throw new IOException("AES-GCM encryption failed", e);
      }
    }

    byte[] open(byte[] in) throws IOException, IntegrityException {
      try {
        return run(in);
      } catch (AEADBadTagException e) {
        throw new IntegrityException("baseline record " + (counter - 1) + " does not authenticate");
      }
    }

    private byte[] run(byte[] in) throws IOException, AEADBadTagException {
      long c = counter++;
      for (int i = 0; i < 8; i++) {
        nonce[4 + i] = (byte) (c >>> (56 - 8 * i));
      }
      try {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        return cipher.doFinal(in);
      } catch (AEADBadTagException e) {
        throw e;
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed", e);
      }
    }
  }
}
