"""One module of checks per lesson: lesson_NN.py holds output(run) and trace(run, facts)."""
