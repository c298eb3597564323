# SelectiveKDHead with the contradiction score: an unlabelled clip's teacher
# is dropped only while the student's video confidently says another class
# (the student's probability of the teacher's class below 0.2 of that of its
# own top class, smoothed over the epochs); no warm-up, since a student that
# knows nothing contradicts nothing. Labelled clips: teacher = label.
# Extends the method's main leaf (the base below); the lines after it are
# every change from that leaf.
_base_ = ('./selective-kd_r2plus1d-tiny-tokens_tsn-audio-r18_1xb8-15e_'
          'grid-word-all-25pct-8x32.py')

model = dict(
    heads=dict(
        selective_kd=dict(
            score='contradiction', warmup_epochs=0.0, threshold=0.2)))
