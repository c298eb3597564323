# Copyright (c) mmxkd contributors. All rights reserved.
import av


def video_encoder() -> str:
    """libx264 where this PyAV build has it, MPEG-4 part 2 otherwise."""
    try:
        av.codec.Codec('libx264', 'w')
        return 'libx264'
    except (av.error.FFmpegError, ValueError):
        return 'mpeg4'
