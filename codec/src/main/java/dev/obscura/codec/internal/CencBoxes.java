package dev.obscura.codec.internal;

import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a clear fragmented MP4 into ISO Common Encryption ({@code cenc}, ISO/IEC 23001-7), one
 * piece at a time, with the one box reader {@link Boxes}:
 *
 * <ul>
 *   <li>init: the video track's {@code avc1} (or {@code avc3}) sample entry becomes {@code encv}
 *       and gains a {@code sinf}: {@code frma} (the original format), {@code schm} ({@code cenc},
 *       version 1.0) and {@code schi}/{@code tenc} (protected, 8-byte IVs, the default KID);
 *   <li>fragment: every video sample is encrypted in place by the {@link CencSampleEncryptor};
 *       the video {@code traf} gains {@code saiz}, {@code saio} and {@code senc} (with the
 *       subsample flag 0x2), {@code saio} pointing at the first IV in {@code senc}; the sizes of
 *       {@code traf} and {@code moof} and every {@code trun} data offset grow by the bytes added.
 * </ul>
 *
 * Internal: not API.
 */
public final class CencBoxes {
  static final int ENCV = Boxes.fourcc("encv");
  static final int SCHEME_CENC = Boxes.fourcc("cenc");
  static final int SCHEME_VERSION = 0x00010000;
  /** senc flag: the entries carry subsample maps. */
  static final int SENC_USE_SUBSAMPLES = 0x2;

  private CencBoxes() {}

  /** The video track's H.264 configuration and sample entry type, from an init (ftyp + moov). */
  public record Track(Boxes.InitInfo init, Boxes.AvcConfig avc) {}

  /**
   * Reads the video track of a clear init.
   *
   * @param init ftyp + moov
   * @param info what the splitter parsed of it
   * @return the track
   * @throws MalformedDataException if the init does not parse or the video is not H.264
   */
  public static Track track(byte[] init, Boxes.InitInfo info) throws MalformedDataException {
    Boxes.Box ftyp = Boxes.boxAt(init, 0, init.length);
    Boxes.Box moov = Boxes.boxAt(init, ftyp.end(), init.length);
    return new Track(info, Boxes.parseAvcC(init, moov, info.videoTrackId()));
  }

  /**
   * The protected init: {@code avc1} to {@code encv} with {@code sinf}.
   *
   * @param init ftyp + moov (not modified)
   * @param info what the splitter parsed of it
   * @param keyId the default KID (16 bytes)
   * @return the new init
   * @throws MalformedDataException if the video track's sample entry cannot be found
   */
  public static byte[] protectInit(byte[] init, Boxes.InitInfo info, byte[] keyId) throws MalformedDataException {
    if (keyId.length != 16) {
      throw new IllegalArgumentException("a KID is 16 bytes");
    }
    Boxes.Box ftyp = Boxes.boxAt(init, 0, init.length);
    Boxes.Box moov = Boxes.boxAt(init, ftyp.end(), init.length);
    List<Boxes.Box> path = new ArrayList<>();
    path.add(moov);
    path.addAll(Boxes.sampleEntryPath(init, moov, info.videoTrackId()));
    Boxes.Box stsd = path.get(path.size() - 2);
    Boxes.Box entry = path.get(path.size() - 1);
    if (Boxes.u32(init, stsd.payloadStart() + 4) != 1) {
      throw new MalformedDataException("stsd with more than one sample entry");
    }
    int format = entry.type();
    byte[] sinf = sinf(format, keyId);
    byte[] out = insert(init, entry.end(), sinf, path);
    putU32(out, entry.start() + 4, ENCV);
    return out;
  }

  /** sinf(frma, schm, schi(tenc)). */
  static byte[] sinf(int originalFormat, byte[] keyId) {
    ByteArrayOutputStream tenc = new ByteArrayOutputStream();
    fullHeader(tenc, 0, 0);
    tenc.write(0); // reserved
    tenc.write(0); // reserved (version 0: no crypt/skip pattern)
    tenc.write(1); // default_isProtected
    tenc.write(CencSampleEncryptor.IV_BYTES); // default_Per_Sample_IV_Size
    tenc.write(keyId, 0, 16);
    ByteArrayOutputStream schm = new ByteArrayOutputStream();
    fullHeader(schm, 0, 0);
    u32(schm, SCHEME_CENC);
    u32(schm, SCHEME_VERSION);
    ByteArrayOutputStream frma = new ByteArrayOutputStream();
    u32(frma, originalFormat);
    ByteArrayOutputStream sinf = new ByteArrayOutputStream();
    sinf.write(box("frma", frma.toByteArray()), 0, 12);
    byte[] s = box("schm", schm.toByteArray());
    sinf.write(s, 0, s.length);
    byte[] t = box("tenc", tenc.toByteArray());
    byte[] schi = box("schi", t);
    sinf.write(schi, 0, schi.length);
    return box("sinf", sinf.toByteArray());
  }

  /**
   * The protected fragment: samples encrypted, {@code saiz}/{@code saio}/{@code senc} added.
   *
   * @param fragment moof + mdat (not modified)
   * @param track the video track, from {@link #track}
   * @param encryptor encrypts each sample and says its IV and subsamples
   * @return the new fragment
   * @throws MalformedDataException if the fragment does not parse, a {@code trun} has no data
   *     offset, or a sample's auxiliary information exceeds the 255 bytes {@code saiz} can record
   */
  public static byte[] protectFragment(byte[] fragment, Track track, CencSampleEncryptor encryptor)
      throws MalformedDataException {
    byte[] b = fragment.clone();
    Boxes.Box moof = Boxes.boxAt(b, 0, b.length);
    if (moof.type() != Boxes.MOOF) {
      throw new MalformedDataException("fragment does not start with moof");
    }
    Boxes.Box videoTraf = null;
    List<Boxes.Box> truns = new ArrayList<>();
    for (Boxes.Box traf : Boxes.children(b, moof.payloadStart(), moof.end())) {
      if (traf.type() != Boxes.TRAF) {
        continue;
      }
      Boxes.Box tfhd = Boxes.first(b, traf, Boxes.TFHD);
      if (tfhd == null || tfhd.end() - tfhd.payloadStart() < 8) {
        throw new MalformedDataException("traf without tfhd");
      }
      if ((int) Boxes.u32(b, tfhd.payloadStart() + 4) == track.init().videoTrackId()) {
        if (videoTraf != null) {
          throw new MalformedDataException("two trafs for the video track in one moof");
        }
        videoTraf = traf;
      }
      for (Boxes.Box c : Boxes.children(b, traf.payloadStart(), traf.end())) {
        if (c.type() == Boxes.TRUN) {
          if (c.end() - c.payloadStart() < 12 || (Boxes.u32(b, c.payloadStart()) & 0x1) == 0) {
            throw new MalformedDataException("trun without a data offset");
          }
          truns.add(c);
        }
      }
    }
    if (videoTraf == null) {
      throw new MalformedDataException("moof without the video track");
    }
    List<Boxes.Sample> samples = Boxes.samples(b, moof, b.length, track.init());
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    int[] sizes = new int[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      Boxes.Sample s = samples.get(i);
      byte[] e = encryptor.encryptSample(b, moof.start() + (int) s.offset(), (int) s.size(), track.avc().nalLengthSize());
      if (e.length > 255) {
        throw new MalformedDataException("sample " + i + " has " + (e.length - 10) / 6
            + " subsamples: its auxiliary information exceeds the 255 bytes saiz records");
      }
      sizes[i] = e.length;
      entries.write(e, 0, e.length);
    }
    byte[] saiz = saiz(sizes);
    int saioLen = 8 + 4 + 4 + 4;
    ByteArrayOutputStream sencBody = new ByteArrayOutputStream();
    fullHeader(sencBody, 0, SENC_USE_SUBSAMPLES);
    u32(sencBody, samples.size());
    byte[] ent = entries.toByteArray();
    sencBody.write(ent, 0, ent.length);
    byte[] senc = box("senc", sencBody.toByteArray());
    // saiz, saio and senc go at the end of the video traf; the first IV sits 16 bytes into senc
    long firstIv = (long) videoTraf.end() - moof.start() + saiz.length + saioLen + 16;
    ByteArrayOutputStream saioBody = new ByteArrayOutputStream();
    fullHeader(saioBody, 0, 0);
    u32(saioBody, 1);
    u32(saioBody, (int) firstIv);
    byte[] saio = box("saio", saioBody.toByteArray());
    ByteArrayOutputStream add = new ByteArrayOutputStream();
    add.write(saiz, 0, saiz.length);
    add.write(saio, 0, saio.length);
    add.write(senc, 0, senc.length);
    byte[] added = add.toByteArray();
    for (Boxes.Box trun : truns) {
      int at = trun.payloadStart() + 8;
      long off = Boxes.u32(b, at) + added.length;
      if (off > 0xffffffffL) {
        throw new MalformedDataException("trun data offset overflows");
      }
      putU32(b, at, (int) off);
    }
    List<Boxes.Box> grow = new ArrayList<>();
    grow.add(moof);
    grow.add(videoTraf);
    return insert(b, videoTraf.end(), added, grow);
  }

  private static byte[] saiz(int[] sizes) {
    boolean same = true;
    for (int s : sizes) {
      same &= s == sizes[0];
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    fullHeader(body, 0, 0);
    body.write(same && sizes.length > 0 ? sizes[0] : 0); // default_sample_info_size
    u32(body, sizes.length);
    if (!(same && sizes.length > 0)) {
      for (int s : sizes) {
        body.write(s);
      }
    }
    return box("saiz", body.toByteArray());
  }

  /** A copy of {@code b} with {@code add} at {@code at}, each of {@code ancestors} grown to hold it. */
  static byte[] insert(byte[] b, int at, byte[] add, List<Boxes.Box> ancestors) throws MalformedDataException {
    byte[] out = new byte[b.length + add.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(add, 0, out, at, add.length);
    System.arraycopy(b, at, out, at + add.length, b.length - at);
    for (Boxes.Box box : ancestors) {
      if (box.start() >= at || box.end() < at) {
        throw new IllegalArgumentException("box does not enclose the insertion point");
      }
      long declared = Boxes.u32(out, box.start());
      if (declared == 0) {
        // "extends to the end of its container": every container up to the fragment grows with
        // it, so the box still ends where its container does and its size field stays 0
        continue;
      }
      if (declared == 1) {
        long size = Boxes.u64(out, box.start() + 8) + add.length;
        putU32(out, box.start() + 8, (int) (size >>> 32));
        putU32(out, box.start() + 12, (int) size);
      } else {
        long size = declared + add.length;
        if (size > 0xffffffffL) {
          throw new MalformedDataException("box '" + Boxes.name(box.type()) + "' grows past 4 GiB");
        }
        putU32(out, box.start(), (int) size);
      }
    }
    return out;
  }

  private static byte[] box(String type, byte[] payload) {
    byte[] out = new byte[8 + payload.length];
    putU32(out, 0, out.length);
    putU32(out, 4, Boxes.fourcc(type));
    System.arraycopy(payload, 0, out, 8, payload.length);
    return out;
  }

  private static void fullHeader(ByteArrayOutputStream out, int version, int flags) {
    u32(out, (version << 24) | (flags & 0xffffff));
  }

  private static void u32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void putU32(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }
}
