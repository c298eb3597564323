OMP_NUM_THREADS=1 python tools/run_distillation.py --seeds 3 5 7
