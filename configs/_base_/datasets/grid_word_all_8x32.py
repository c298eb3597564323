# Every word of GRID's sentences, all six slots, as one 51-way task
# (prepare_grid.py --word-slots all: words/all_*.txt, labels in
# words/all_classes.txt, the 51 words sorted). The student reads 8 frames of
# the word clip (clips have >= 8), 32x32 mouth crops: the pipelines,
# evaluation and splits (by sentence) of grid_command_word_8x32.py, with its
# own lists, teacher features and teacher. Classes are unbalanced: each
# command, colour, preposition and adverb word is about 1/24 of the clips, a
# digit 1/60, a letter 1/150.
_base_ = './grid_command_word_8x32.py'

teacher_root = 'data/grid/teacher_feats/word_all'
ann_file_train = 'data/grid/words/all_train.txt'
ann_file_val = 'data/grid/words/all_val.txt'
ann_file_test = 'data/grid/words/all_test.txt'
num_classes = 51
teacher_checkpoint = (
    'work_dirs/tsn-audio_r18_1xb16-15e_grid-word-all-logmel/epoch_15.pth')

train_dataloader = dict(
    dataset=dict(ann_file=ann_file_train, num_classes=num_classes))
val_dataloader = dict(
    dataset=dict(ann_file=ann_file_val, num_classes=num_classes))
test_dataloader = dict(
    dataset=dict(ann_file=ann_file_test, num_classes=num_classes))
