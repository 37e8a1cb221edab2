package dev.obscura.codec.internal;

import dev.obscura.core.MalformedDataException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, bounded ISO-BMFF (MP4) box reader for fragmented MP4 as FFmpeg writes it.
 *
 * <p>Every size field is checked against the bytes actually present before it is used, and no
 * method allocates anything sized by a field it read: malformed input gives a {@link
 * MalformedDataException}, never an {@link ArrayIndexOutOfBoundsException} or a huge array.
 * Internal: not API.
 */
public final class Boxes {
  public static final int FTYP = fourcc("ftyp");
  public static final int MOOV = fourcc("moov");
  public static final int MOOF = fourcc("moof");
  public static final int MDAT = fourcc("mdat");
  static final int TRAK = fourcc("trak");
  static final int TKHD = fourcc("tkhd");
  static final int MDIA = fourcc("mdia");
  static final int MDHD = fourcc("mdhd");
  static final int HDLR = fourcc("hdlr");
  static final int MVEX = fourcc("mvex");
  static final int TREX = fourcc("trex");
  static final int TRAF = fourcc("traf");
  static final int TFHD = fourcc("tfhd");
  static final int TFDT = fourcc("tfdt");
  static final int TRUN = fourcc("trun");
  static final int VIDE = fourcc("vide");

  /** Most traks, trafs or top-level boxes we look at before calling the input absurd. */
  static final int MAX_CHILDREN = 100_000;

  private Boxes() {}

  public static int fourcc(String s) {
    return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
  }

  public static String name(int type) {
    char[] c = new char[4];
    for (int i = 0; i < 4; i++) {
      int ch = (type >>> (24 - 8 * i)) & 0xff;
      c[i] = ch >= 0x20 && ch < 0x7f ? (char) ch : '?';
    }
    return new String(c);
  }

  /** A box located in a buffer: {@code [start, end)} covers header and payload. */
  public record Box(int type, int start, int payloadStart, int end) {
    public int size() {
      return end - start;
    }
  }

  /**
   * Reads the box header at {@code pos}; the box must end at or before {@code limit}.
   *
   * @throws MalformedDataException if the header is cut short, the size is smaller than the
   *     header, or the box runs past {@code limit}
   */
  public static Box boxAt(byte[] b, int pos, int limit) throws MalformedDataException {
    if (limit - pos < 8) {
      throw new MalformedDataException("box header cut short at offset " + pos);
    }
    long size = u32(b, pos);
    int type = (int) u32(b, pos + 4);
    int header = 8;
    if (size == 1) {
      if (limit - pos < 16) {
        throw new MalformedDataException("large box header cut short at offset " + pos);
      }
      size = u64(b, pos + 8);
      header = 16;
    } else if (size == 0) {
      size = limit - pos; // "extends to the end"
    }
    if (size < header) {
      throw new MalformedDataException("box '" + name(type) + "' size " + size + " below header");
    }
    if (size > limit - pos) {
      throw new MalformedDataException(
          "box '" + name(type) + "' of " + size + " bytes runs past its container at offset " + pos);
    }
    return new Box(type, pos, pos + header, pos + (int) size);
  }

  /** The children of a container payload {@code [from, to)}. */
  public static List<Box> children(byte[] b, int from, int to) throws MalformedDataException {
    List<Box> out = new ArrayList<>();
    int pos = from;
    while (pos < to) {
      if (out.size() >= MAX_CHILDREN) {
        throw new MalformedDataException("too many boxes");
      }
      Box box = boxAt(b, pos, to);
      out.add(box);
      pos = box.end();
    }
    return out;
  }

  static Box first(byte[] b, Box parent, int type) throws MalformedDataException {
    for (Box c : children(b, parent.payloadStart(), parent.end())) {
      if (c.type() == type) {
        return c;
      }
    }
    return null;
  }

  /** What the init segment tells us about the video track. */
  public record InitInfo(int videoTrackId, long timescale, long trexDefaultDuration, long trexDefaultFlags) {}

  /** Parses {@code moov}: the first video track's id and timescale, and its {@code trex} defaults. */
  public static InitInfo parseMoov(byte[] b, Box moov) throws MalformedDataException {
    int trackId = -1;
    long timescale = -1;
    for (Box trak : children(b, moov.payloadStart(), moov.end())) {
      if (trak.type() != TRAK) {
        continue;
      }
      Box tkhd = first(b, trak, TKHD);
      Box mdia = first(b, trak, MDIA);
      if (tkhd == null || mdia == null) {
        throw new MalformedDataException("trak without tkhd or mdia");
      }
      Box hdlr = first(b, mdia, HDLR);
      Box mdhd = first(b, mdia, MDHD);
      if (hdlr == null || mdhd == null) {
        throw new MalformedDataException("mdia without hdlr or mdhd");
      }
      need(hdlr, 12);
      if ((int) u32(b, hdlr.payloadStart() + 8) != VIDE) {
        continue;
      }
      need(tkhd, 4);
      need(mdhd, 4);
      int tv = b[tkhd.payloadStart()] & 0xff;
      need(tkhd, tv == 1 ? 24 : 16);
      trackId = (int) u32(b, tkhd.payloadStart() + (tv == 1 ? 20 : 12));
      int mv = b[mdhd.payloadStart()] & 0xff;
      need(mdhd, mv == 1 ? 24 : 16);
      timescale = u32(b, mdhd.payloadStart() + (mv == 1 ? 20 : 12));
      break;
    }
    if (trackId < 0) {
      throw new MalformedDataException("no video track in moov");
    }
    if (timescale <= 0) {
      throw new MalformedDataException("video timescale is zero");
    }
    long defDur = 0;
    long defFlags = 0;
    Box mvex = first(b, moov, MVEX);
    if (mvex != null) {
      for (Box trex : children(b, mvex.payloadStart(), mvex.end())) {
        if (trex.type() == TREX) {
          need(trex, 24);
          if ((int) u32(b, trex.payloadStart() + 4) == trackId) {
            defDur = u32(b, trex.payloadStart() + 12);
            defFlags = u32(b, trex.payloadStart() + 20);
          }
        }
      }
    }
    return new InitInfo(trackId, timescale, defDur, defFlags);
  }

  /** What one {@code moof} says about the video track. */
  public record FragmentInfo(long baseDecodeTime, int sampleCount, long duration, boolean startsWithKeyframe) {}

  /**
   * One video sample of a fragment.
   *
   * @param offset where its bytes start, from the start of the {@code moof}
   * @param size its size in bytes
   * @param decodeTime decode time in timescale units
   * @param compositionOffset presentation minus decode time
   * @param duration duration in timescale units
   * @param keyframe whether it is a sync sample
   */
  public record Sample(long offset, long size, long decodeTime, long compositionOffset, long duration, boolean keyframe) {}

  private interface SampleVisitor {
    void sample(Sample s) throws MalformedDataException;
  }

  /** Parses {@code moof}: decode time, sample count, duration and sync flag of the video track. */
  public static FragmentInfo parseMoof(byte[] b, Box moof, InitInfo init) throws MalformedDataException {
    long[] acc = new long[3]; // count, duration, first flags known (1 = key, 2 = not)
    long base = walk(b, moof, init, s -> {
      if (acc[0] == 0) {
        acc[2] = s.keyframe() ? 1 : 2;
      }
      acc[0]++;
      acc[1] += s.duration();
    });
    return new FragmentInfo(base, (int) acc[0], acc[1], acc[2] == 1);
  }

  /**
   * The video samples of a fragment, with their byte ranges checked against {@code [moof start,
   * fragmentEnd)}, the fragment being {@code moof} followed by its {@code mdat}.
   */
  public static List<Sample> samples(byte[] b, Box moof, int fragmentEnd, InitInfo init) throws MalformedDataException {
    List<Sample> out = new ArrayList<>();
    walk(b, moof, init, s -> {
      if (s.offset() < moof.size() || s.offset() + s.size() > fragmentEnd - moof.start()) {
        throw new MalformedDataException("sample data outside its fragment");
      }
      out.add(s);
    });
    return out;
  }

  /** Visits the video track's samples; returns the base decode time. */
  private static long walk(byte[] b, Box moof, InitInfo init, SampleVisitor visitor) throws MalformedDataException {
    long base = -1;
    long count = 0;
    for (Box traf : children(b, moof.payloadStart(), moof.end())) {
      if (traf.type() != TRAF) {
        continue;
      }
      Box tfhd = first(b, traf, TFHD);
      if (tfhd == null) {
        throw new MalformedDataException("traf without tfhd");
      }
      need(tfhd, 8);
      int p = tfhd.payloadStart();
      int tfFlags = (int) u32(b, p) & 0xffffff;
      if ((int) u32(b, p + 4) != init.videoTrackId()) {
        continue;
      }
      if ((tfFlags & 0x1) != 0) {
        throw new MalformedDataException("explicit base data offsets are not supported");
      }
      int q = p + 8;
      if ((tfFlags & 0x2) != 0) q += 4;
      long defDur = init.trexDefaultDuration();
      long defSize = 0;
      long defFlags = init.trexDefaultFlags();
      if ((tfFlags & 0x8) != 0) { needTo(tfhd, q + 4); defDur = u32(b, q); q += 4; }
      if ((tfFlags & 0x10) != 0) { needTo(tfhd, q + 4); defSize = u32(b, q); q += 4; }
      if ((tfFlags & 0x20) != 0) { needTo(tfhd, q + 4); defFlags = u32(b, q); q += 4; }
      needTo(tfhd, q);
      long time = -1;
      // data offsets are relative to the moof (default-base-is-moof, or the first traf's default)
      long dataPos = moof.end() - moof.start() + 8;
      for (Box c : children(b, traf.payloadStart(), traf.end())) {
        if (c.type() == TFDT && time < 0) {
          need(c, 4);
          int v = b[c.payloadStart()] & 0xff;
          need(c, v == 1 ? 12 : 8);
          time = v == 1 ? u64(b, c.payloadStart() + 4) : u32(b, c.payloadStart() + 4);
          if (time < 0) {
            throw new MalformedDataException("tfdt out of range");
          }
          if (base < 0) {
            base = time;
          }
        } else if (c.type() == TRUN) {
          if (time < 0) {
            throw new MalformedDataException("trun before tfdt");
          }
          need(c, 8);
          int t = c.payloadStart();
          int fl = (int) u32(b, t) & 0xffffff;
          boolean signedCto = (b[t] & 0xff) == 1;
          long n = u32(b, t + 4);
          int r = t + 8;
          if ((fl & 0x1) != 0) { needTo(c, r + 4); dataPos = (int) u32(b, r); r += 4; }
          long firstFlags = -1;
          if ((fl & 0x4) != 0) { needTo(c, r + 4); firstFlags = u32(b, r); r += 4; }
          int per = Integer.bitCount(fl & 0xf00) * 4;
          if (n * per > c.end() - r) {
            throw new MalformedDataException("trun sample count " + n + " exceeds its box");
          }
          if (count + n > 1_000_000) {
            throw new MalformedDataException("absurd trun sample count " + n);
          }
          for (long i = 0; i < n; i++) {
            long sd = defDur;
            long ss = defSize;
            long sf = defFlags;
            long cto = 0;
            if ((fl & 0x100) != 0) { sd = u32(b, r); r += 4; }
            if ((fl & 0x200) != 0) { ss = u32(b, r); r += 4; }
            if ((fl & 0x400) != 0) { sf = u32(b, r); r += 4; }
            if ((fl & 0x800) != 0) { cto = signedCto ? (int) u32(b, r) : u32(b, r); r += 4; }
            if (i == 0 && firstFlags >= 0) {
              sf = firstFlags;
            }
            visitor.sample(new Sample(dataPos, ss, time, cto, sd, (sf & 0x10000) == 0));
            dataPos += ss;
            time += sd;
          }
          count += n;
        }
      }
    }
    if (base < 0) {
      throw new MalformedDataException("moof without tfdt for the video track");
    }
    return base;
  }

  /**
   * H.264 decoder configuration from the {@code avcC} box of the video track: the NAL length
   * size and the parameter sets (SPS, PPS) in Annex B form (each after a 00 00 00 01 start code).
   */
  public record AvcConfig(int nalLengthSize, byte[] parameterSetsAnnexB) {}

  /** Finds and parses {@code avcC} for the video track of {@code moov}. */
  public static AvcConfig parseAvcC(byte[] b, Box moov, int trackId) throws MalformedDataException {
    List<Box> path = sampleEntryPath(b, moov, trackId);
    Box entry = path.get(path.size() - 1);
    need(entry, 78);
    for (Box c : children(b, entry.payloadStart() + 78, entry.end())) {
      if (c.type() == fourcc("avcC")) {
        return avcC(b, c);
      }
    }
    throw new MalformedDataException("avc1 without avcC");
  }

  /**
   * The boxes from the track's {@code trak} down to its first H.264 sample entry: {@code trak},
   * {@code mdia}, {@code minf}, {@code stbl}, {@code stsd}, then the {@code avc1} or {@code avc3}
   * entry.
   */
  static List<Box> sampleEntryPath(byte[] b, Box moov, int trackId) throws MalformedDataException {
    for (Box trak : children(b, moov.payloadStart(), moov.end())) {
      if (trak.type() != TRAK) {
        continue;
      }
      Box tkhd = first(b, trak, TKHD);
      if (tkhd == null) {
        continue;
      }
      need(tkhd, 4);
      int tv = b[tkhd.payloadStart()] & 0xff;
      need(tkhd, tv == 1 ? 24 : 16);
      if ((int) u32(b, tkhd.payloadStart() + (tv == 1 ? 20 : 12)) != trackId) {
        continue;
      }
      List<Box> path = new ArrayList<>();
      path.add(trak);
      Box box = trak;
      for (int type : new int[] {MDIA, fourcc("minf"), fourcc("stbl"), fourcc("stsd")}) {
        box = first(b, box, type);
        if (box == null) {
          throw new MalformedDataException("video track without " + name(type));
        }
        path.add(box);
      }
      need(box, 8);
      if (box.end() - box.payloadStart() == 8) {
        throw new MalformedDataException("empty stsd");
      }
      Box entry = boxAt(b, box.payloadStart() + 8, box.end());
      int et = entry.type();
      if (et != fourcc("avc1") && et != fourcc("avc3")) {
        throw new MalformedDataException("video is not H.264: " + name(et));
      }
      path.add(entry);
      return path;
    }
    throw new MalformedDataException("no such track");
  }

  private static AvcConfig avcC(byte[] b, Box c) throws MalformedDataException {
    int p = c.payloadStart();
    need(c, 6);
    int lengthSize = (b[p + 4] & 3) + 1;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int r = p + 5;
    for (int kind = 0; kind < 2; kind++) {
      needTo(c, r + 1);
      int count = b[r] & (kind == 0 ? 0x1f : 0xff);
      r++;
      for (int i = 0; i < count; i++) {
        needTo(c, r + 2);
        int len = ((b[r] & 0xff) << 8) | (b[r + 1] & 0xff);
        r += 2;
        needTo(c, r + len);
        out.write(new byte[] {0, 0, 0, 1}, 0, 4);
        out.write(b, r, len);
        r += len;
      }
    }
    return new AvcConfig(lengthSize, out.toByteArray());
  }

  /** A fragment ({@code moof} + {@code mdat}) inside a buffer. */
  public record Fragment(int start, int end, FragmentInfo info) {}

  /** A parsed self-contained segment: the init range and the fragments. */
  public record SegmentLayout(int initEnd, InitInfo init, List<Fragment> fragments) {}

  /**
   * Splits a self-contained fMP4 segment ({@code ftyp}, {@code moov}, then {@code moof}+{@code
   * mdat} pairs; other top-level boxes are skipped).
   */
  public static SegmentLayout parseSegment(byte[] b) throws MalformedDataException {
    List<Box> top = children(b, 0, b.length);
    if (top.size() < 2 || top.get(0).type() != FTYP || top.get(1).type() != MOOV) {
      throw new MalformedDataException("segment does not start with ftyp+moov");
    }
    InitInfo init = parseMoov(b, top.get(1));
    List<Fragment> frags = new ArrayList<>();
    for (int i = 2; i < top.size(); i++) {
      Box box = top.get(i);
      if (box.type() == MOOV || box.type() == FTYP) {
        throw new MalformedDataException("second init in one segment");
      }
      if (box.type() != MOOF) {
        continue;
      }
      if (i + 1 >= top.size() || top.get(i + 1).type() != MDAT) {
        throw new MalformedDataException("moof without mdat");
      }
      frags.add(new Fragment(box.start(), top.get(i + 1).end(), parseMoof(b, box, init)));
      i++;
    }
    if (frags.isEmpty()) {
      throw new MalformedDataException("segment without fragments");
    }
    return new SegmentLayout(top.get(1).end(), init, frags);
  }

  private static void need(Box box, int payloadBytes) throws MalformedDataException {
    if (box.end() - box.payloadStart() < payloadBytes) {
      throw new MalformedDataException("box '" + name(box.type()) + "' cut short");
    }
  }

  private static void needTo(Box box, int absolute) throws MalformedDataException {
    if (absolute > box.end()) {
      throw new MalformedDataException("box '" + name(box.type()) + "' cut short");
    }
  }

  static long u32(byte[] b, int p) {
    return ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xffL) << 16) | ((b[p + 2] & 0xffL) << 8) | (b[p + 3] & 0xffL);
  }

  static long u64(byte[] b, int p) {
    return (u32(b, p) << 32) | u32(b, p + 4);
  }
}
