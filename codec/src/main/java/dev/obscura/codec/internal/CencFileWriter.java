package dev.obscura.codec.internal;

import dev.obscura.codec.MalformedMediaException;
import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.MalformedDataException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Receives the clear init and fragments of a fragmented MP4 from a {@link FragmentedMp4Splitter}
 * and writes them to a file protected with ISO Common Encryption ({@link CencBoxes}). Internal:
 * not API.
 */
public final class CencFileWriter implements FragmentedMp4Splitter.Listener {
  /** What the muxer must write: one fragment per keyframe, the init up front, offsets from moof. */
  public static final String MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof";

  private final CencSampleEncryptor encryptor;
  private final OutputStream out;
  private CencBoxes.Track track;
  private int fragments;

  /**
   * Creates (or truncates) {@code file}.
   *
   * @param file where the protected MP4 goes
   * @param encryptor encrypts the samples
   * @throws IOException if the file cannot be opened
   */
  public CencFileWriter(Path file, CencSampleEncryptor encryptor) throws IOException {
    this.encryptor = Objects.requireNonNull(encryptor, "encryptor");
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.CREATE), 1 << 16);
  }

  @Override
  public void init(byte[] init, Boxes.InitInfo info) throws IOException {
    if (track != null) {
      throw new MalformedMediaException("the muxer wrote a second init", null);
    }
    try {
      track = CencBoxes.track(init, info);
      out.write(CencBoxes.protectInit(init, info, encryptor.keyId()));
    } catch (MalformedDataException e) {
      throw new MalformedMediaException("init cannot be protected: " + e.getMessage(), e);
    }
  }

  @Override
  public void fragment(byte[] fragment, Boxes.FragmentInfo info) throws IOException {
    if (track == null) {
      throw new MalformedMediaException("fragment before init", null);
    }
    try {
      out.write(CencBoxes.protectFragment(fragment, track, encryptor));
      fragments++;
    } catch (MalformedDataException e) {
      throw new MalformedMediaException("fragment cannot be protected: " + e.getMessage(), e);
    }
  }

  /**
   * Flushes the file; fails if the muxer wrote no init or no fragment.
   *
   * @throws IOException if flushing fails or the file would hold no video
   */
  public void finish() throws IOException {
    if (track == null || fragments == 0) {
      throw new MalformedMediaException("the muxer wrote no video fragment", null);
    }
    out.flush();
  }

  /** Closes the file (idempotent). @throws IOException if closing fails */
  public void close() throws IOException {
    out.close();
  }
}
