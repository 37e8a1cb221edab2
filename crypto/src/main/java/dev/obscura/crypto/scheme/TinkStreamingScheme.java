package dev.obscura.crypto.scheme;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.scheme.internal.Records;
import dev.obscura.crypto.scheme.internal.SchemeKeys;
import dev.obscura.crypto.scheme.internal.TinkStreaming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code tink-streaming}: Tink's AES-GCM-HKDF streaming AEAD ({@code StreamingAead}, parameters
 * {@code AES256_GCM_HKDF_4KB}), one record per segment, over the {@link FrameFraming} of its
 * frames. The record is Tink's own ciphertext format (header with a random 32-byte salt and nonce
 * prefix, then 4 KiB segments each with a 16-byte tag).
 *
 * <p>Why 4 KB: a camera seals with bounded memory, and 4 KiB segments keep Tink's buffers small
 * and its granularity close to the product's 16 KiB chunks, so the lab compares like with like
 * (the tag overhead is 0.4%; the file export, which is decrypted on a desktop, uses {@code
 * AES256_GCM_HKDF_1MB}, see {@link TinkStreamingExport}).
 *
 * <p><b>Guarantees:</b> Tink authenticates every segment and the end of the stream (a truncated
 * record fails). The key is HKDF of the context key with the label {@code tink-streaming}, and the
 * associated data is {@code "tink-streaming" || 0x00 || u8 len || stream id || u64be segment
 * index}, so a changed, truncated, dropped, reordered or replayed segment, or one of another stream
 * or key, fails and no frame of it is released.
 */
public final class TinkStreamingScheme implements SealingScheme {
  /** The scheme's name. */
  public static final String NAME = "tink-streaming";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Tink AES-GCM-HKDF streaming (AES256_GCM_HKDF_4KB), one record per segment, stream"
        + " and segment index as associated data";
  }

  @Override
  public Protection protection() {
    return Protection.AUTHENTICATED;
  }

  @Override
  public SealingScheme.Sealer sealer(SchemeContext context) throws IOException {
    return new Sealer(context);
  }

  @Override
  public SealingScheme.Opener opener(SchemeContext context) throws IOException {
    return new Opener(context);
  }

  private static StreamingAead primitive(SchemeContext context) throws IOException {
    byte[] k = SchemeKeys.derive(context, NAME, new byte[0], 32);
    try {
      return TinkStreaming.primitive(
          TinkStreaming.keyset(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB, k));
    } catch (GeneralSecurityException e) {
      throw new IOException("Tink refused to set up AES256_GCM_HKDF_4KB", e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Shared state of a sealer and an opener: the primitive and the segment counter. */
  private abstract static class Side {
    final StreamingAead aead;
    final byte[] aad;
    long segment;

    Side(SchemeContext context) throws IOException {
      this.aead = primitive(context);
      this.aad = SchemeKeys.aadPrefix(NAME, context.stream(), 8);
    }

    byte[] aad() {
      SchemeKeys.putLong(segment, aad, aad.length - 8);
      return aad.clone();
    }
  }

  private static final class Sealer extends Side implements SealingScheme.Sealer {
    private final byte[] header = new byte[FrameFraming.HEADER_BYTES];

    Sealer(SchemeContext context) throws IOException {
      super(context);
    }

    @Override
    public List<byte[]> seal(List<EncodedFrame> frames) throws IOException {
      Records.checkSegment(frames);
      ByteArrayOutputStream sink = new ByteArrayOutputStream(
          FrameFraming.encodedLength(frames) / 64 * 65 + 64);
      try (OutputStream out = aead.newEncryptingStream(sink, aad())) {
        for (EncodedFrame f : frames) {
          FrameFraming.writeHeader(f, header, 0);
          out.write(header);
          out.write(f.data());
        }
      } catch (GeneralSecurityException e) {
        throw new IOException("Tink refused to encrypt", e);
      }
      segment++;
      return Collections.singletonList(sink.toByteArray());
    }
  }

  private static final class Opener extends Side implements SealingScheme.Opener {
    Opener(SchemeContext context) throws IOException {
      super(context);
    }

    @Override
    public List<EncodedFrame> open(List<byte[]> records)
        throws IntegrityException, MalformedDataException {
      byte[] record = Records.single(records, NAME);
      // the plaintext is shorter than the ciphertext: bounded by the record itself
      ByteArrayOutputStream plain = new ByteArrayOutputStream(record.length);
      try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(record), aad())) {
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
          if (plain.size() + n > record.length) {
            throw new MalformedDataException("Tink plaintext longer than its ciphertext");
          }
          plain.write(buf, 0, n);
        }
      } catch (IOException | GeneralSecurityException e) {
        // the input is in memory: any failure is Tink refusing the ciphertext
        throw new IntegrityException("tink-streaming record failed authentication", e);
      }
      List<EncodedFrame> frames = FrameFraming.decode(plain.toByteArray());
      segment++;
      return frames;
    }
  }
}
