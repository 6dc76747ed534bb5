package io.canvasflow.clients;

import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * What this process's FFmpeg (the native build bundled by {@code org.bytedeco:ffmpeg}) can do. The
 * bundled linux-x86_64 build is LGPL: it has no libx264 but has libopenh264, so H.264 comes from
 * OpenH264 there, and MPEG-4 part 2 is the last resort. Its log goes through {@link FfmpegLog}.
 */
final class Ffmpeg {

    /** Video encoders in order of preference; every FFmpeg build has the last one. */
    static final List<String> VIDEO_ENCODERS = List.of("libx264", "libopenh264", "mpeg4");

    private Ffmpeg() {}

    /** The first of {@link #VIDEO_ENCODERS} this FFmpeg build has. */
    static String preferredVideoEncoder() {
        FfmpegLog.install();
        for (String name : VIDEO_ENCODERS) {
            if (hasEncoder(name)) {
                return name;
            }
        }
        throw new IllegalStateException(
                "the bundled FFmpeg has none of the video encoders " + VIDEO_ENCODERS);
    }

    /** Whether this FFmpeg build has an encoder of that name. */
    static boolean hasEncoder(String name) {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
        return codec != null && !codec.isNull();
    }
}
