"""What a grading says: the score table of one exercise (with the evidence
of each check and where to look), a line per exercise with a total (MIT
6.S081's `make grade`), and Gradescope's results.json."""

import json
import os
import textwrap

WIDTH = 100


def points(x):
    """3, 2.5: points as a student reads them."""
    return f"{x:g}"


def table(graded):
    """The score table of one Graded exercise, as lines."""
    ex, checks = graded.exercise, graded.checks
    out = [f"Exercise {ex.name}: {checks.title or ex.relpath}"]
    if graded.built.program is None:
        out.append(f"  {graded.shown} does not compile; the compiler's "
                   "first error:")
        out += _wrapped(graded.built.first_error, "    ")
        out.append(f"  (all it said: {graded.log_path})")
    else:
        ran = graded.ran
        args = " " + " ".join(checks.args) if checks.args else ""
        out.append(f"  {graded.shown}{args}: run under mprun (time limit "
                   f"{checks.timeout:g} s, at most {checks.max_procs} "
                   f"processes): it {ran.how}, after {ran.seconds:.1f} s")
        if not ran.ended:
            out.append("  The checks that need the program's end score 0.")
    out += ["", "     points  check"]
    for i, r in enumerate(graded.results, 1):
        mark = "ok  " if r.passed else "FAIL"
        out += _wrapped(f"{i:>2}. {points(r.score):>3}/"
                        f"{points(r.check.points):<3} {mark}  {r.check.text}",
                        "  ", 20)
        said = [f"({r.check.question})" if r.check.text != r.check.question
                else "", r.note, r.evidence,
                "look at: " + r.where if r.where else ""]
        for text in filter(None, said):
            out += _wrapped(text, " " * 20)
    out.append(f"      {points(graded.score):>3}/"
               f"{points(graded.max_score):<3} score")
    return out


def _wrapped(text, indent, hang=0):
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=indent + " " * hang,
                         break_on_hyphens=False) or [indent]


def summary_line(graded):
    """"exercise 6a  Reap the zombie ...  2/8  FAIL  (0.6 s)"."""
    title = graded.checks.title or graded.exercise.relpath
    head = f"exercise {graded.exercise.name:<4}{title} "
    tail = f" {points(graded.score):>3}/{points(graded.max_score):<3} " \
        f"{'OK  ' if graded.score == graded.max_score else 'FAIL'}"
    took = graded.ran.seconds if graded.ran else 0
    dots = "." * max(2, 78 - len(head) - len(tail))
    return f"{head}{dots}{tail} ({took:.1f} s)"


def failures(graded):
    """One line per failed check, for the summary."""
    if graded.built.program is None:    # it did not compile, or is missing
        return [f"    {graded.built.first_error}"]
    return [f"    FAIL {r.check.question}: "
            + (r.note if r.note else r.evidence)
            for r in graded.results if not r.passed]


def results_json(all_graded, seconds, path):
    """Writes Gradescope's results.json: the total, and a test per check
    with its score, its points and what it found.  Returns the dict."""
    tests = []
    for g in all_graded:
        for i, r in enumerate(g.results, 1):
            said = [("passed" if r.passed else "FAILED") + ": "
                    + r.check.text]
            if g.built.program is None:
                said.append(f"does not compile: {g.built.first_error}")
            if r.note:
                said.append(r.note)
            if r.evidence:
                said.append(r.evidence)
            if r.where:
                said.append("look at: " + r.where)
            tests.append({
                "name": f"{g.exercise.name}: {r.check.text}",
                "number": f"{g.exercise.name}.{i}",
                "score": r.score, "max_score": r.check.points,
                "status": "passed" if r.passed else "failed",
                "output": "\n".join(said),
                "visibility": r.check.visibility})
    total = sum(t["score"] for t in tests)
    most = sum(t["max_score"] for t in tests)
    results = {
        "score": total,
        "execution_time": round(seconds),
        "output": f"{points(total)}/{points(most)} points over "
                  f"{len(all_graded)} exercise(s); `make exercise-N` draws "
                  "a timeline with each failed check marked.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    return results
