"""mptrace.grade - exercises a class hands in, checked from the trace.

An exercise is a starter C file beside its lesson
(lessons/06-zombie/exercise-a.c, "exercise 6a") that the student edits, and
its checks file (exercise-a.checks: mptrace.check.checksfile) saying how
its program runs and what is checked, for how many points.

    exercises.py  finding them: lessons/NN-name/exercise-X.c
    build.py      compiling a student's file (the compiler's first error)
    run.py        running it under mprun, traced, with a time limit and a
                  process cap; what its end means
    score.py      its checks asked of the trace: points, evidence
    report.py     the score table, the summary, Gradescope's results.json
    grader.py     one exercise from source to score (and its picture)
"""
