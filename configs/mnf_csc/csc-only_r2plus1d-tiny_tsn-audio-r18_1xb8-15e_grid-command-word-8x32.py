# Ablation on the command word clips: CSC without the MNF, on the raw teacher
# feature (linearly projected to the student's 128 dimensions; the
# temperature follows the raw teacher-student cosine).
_base_ = ['./mnf-csc_r2plus1d-tiny_tsn-audio-r18_1xb8-15e_grid-command-word-8x32.py']

model = dict(
    neck=dict(
        _delete_=True, type='TeacherProjector', teacher_dim=512,
        student_dim=128),
    distill_losses=dict(_delete_=True, loss_csc=dict(type='CSCLoss')))
