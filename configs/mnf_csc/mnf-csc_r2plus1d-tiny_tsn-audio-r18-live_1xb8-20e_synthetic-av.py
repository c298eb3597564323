# As the precomputed-feature config, with the audio teacher run live on each
# clip's spectrogram in the batch (features cached per clip and view, so
# later epochs skip the teacher). Give the teacher's checkpoint:
#   --cfg-options model.teacher.checkpoint=work_dirs/<teacher run>/epoch_5.pth
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = './mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-20e_synthetic-av.py'

teacher_config = ('configs/audio_teacher/'
                  'tsn-audio_r18_1xb16-5e_synthetic-av-logmel.py')
audio_root = 'data/synthetic_av/audio_logmel'

model = dict(
    teacher=dict(
        _delete_=True,
        type='NetworkTeacher',
        config=teacher_config,
        checkpoint=None,
        input_key='teacher_audio'))
train_dataloader = dict(
    dataset=dict(
        data_prefix=dict(
            _delete_=True, video='data/synthetic_av/videos', audio=audio_root),
        pipeline=[
            dict(type='DecordInit'),
            dict(
                type='SampleFrames', clip_len=8, frame_interval=2,
                num_clips=1),
            dict(type='DecordDecode'),
            dict(
                type='RandomResizedCrop',
                area_range=(0.5, 1.0),
                aspect_ratio_range=(3 / 4, 4 / 3)),
            dict(type='Resize', scale=(48, 48), keep_ratio=False),
            dict(type='FormatShape', input_format='NCTHW'),
            # the teacher's own test view: the centred window of its config
            dict(type='LoadAudioSpectrogram', key='teacher_audio'),
            dict(type='SpectrogramWindow', length=192, key='teacher_audio'),
            dict(
                type='PackActionInputs',
                algorithm_keys=('teacher_audio', 'teacher_audio_view',
                                'sound_relpath'))
        ]))
