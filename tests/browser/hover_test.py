#!/usr/bin/python3
"""timeline.html in a real browser: headless Chromium (Debian's
`chromium`) loads the page scripts/timeline writes, a real mouse moves
over an event and the tooltip's text is read back; a click pins it; the
page and its screenshot are made; the SVG's every text is drawn in the
DejaVu family it names, the PNG's font, italic ones included.

Where the hover point must be is worked out from the SVG alone (its time
axis' tick labels and its lane names), not from the page's hover data.

usage: hover_test.py --program LESSON_1 [--shot PNG]
       (LESSON_1: lesson 1's program, built; exit 77: no chromium here)
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from cdp import Browser

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
TRACES = os.path.join(TOP, "tests", "traces")
TIMELINE = os.path.join(TOP, "scripts", "timeline")


def draw(trace, out):
    subprocess.run([TIMELINE, "--title", "hover test", trace, out],
                   check=True)
    return os.path.join(out, "timeline.html")


def tsv(out):
    """events.tsv as [(t_ms text, event, pid, fields)]."""
    with open(os.path.join(out, "events.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    return [(r[0], r[1], int(r[2]), r[3:]) for r in rows]


def axis(svg):
    """From the SVG: ms -> x (the time axis' numeric tick labels, a line
    through them) and lane name -> y (the lane labels' baselines)."""
    labels = re.findall(r'<g transform="translate\(([\d.]+),([\d.]+)\)"'
                        r'[^>]*text-anchor="(\w+)"[^>]*>\s*<text>([^<]*)'
                        r'</text>', svg)
    ticks = [(float(x), float(y), float(t)) for x, y, a, t in labels
             if a == "middle" and re.fullmatch(r"-?[\d.]+", t)]
    bottom = max(y for _, y, _ in ticks)
    ticks = [(x, t) for x, y, t in ticks if abs(y - bottom) < 1]
    (x0, t0), (x1, t1) = ticks[0], ticks[-1]
    lanes = {t: float(y) for x, y, a, t in labels if a == "end"}
    to_x = lambda ms: x0 + (ms - t0) * (x1 - x0) / (t1 - t0)  # noqa: E731
    return to_x, (t0, t1), lanes


def isolated(rows, to_x, ticked, pid):
    """The event of pid, between the first and last tick, farthest (in
    pixels) from its lane's other events."""
    mine = [r for r in rows if r[2] == pid
            and ticked[0] <= float(r[0]) <= ticked[1]]
    xs = [to_x(float(r[0])) for r in mine]

    def room(i):
        return min([abs(xs[i] - x) for j, x in enumerate(xs) if j != i]
                   or [1e9])
    return mine[max(range(len(mine)), key=room)]


def client(page, x, y):
    """SVG units to the viewport's CSS pixels, as the page lays it out."""
    return page.evaluate(
        "(function(){var s=document.querySelector('#picture svg');"
        f"var p=s.createSVGPoint();p.x={x};p.y={y};"
        "p=p.matrixTransform(s.getScreenCTM());return [p.x,p.y];})()")


def tip(page):
    return page.evaluate("document.getElementById('tip').hidden ? null : "
                         "document.getElementById('tip').textContent")


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def hover_event(browser, work, shot):
    out = os.path.join(work, "lesson-1")
    html = draw(os.path.join(TRACES, "lesson-1"), out)
    with open(os.path.join(out, "timeline.svg")) as f:
        to_x, ticked, lanes = axis(f.read())
    rows = tsv(out)
    main_pid = next(r[2] for r in rows if r[1] == "proc_start"
                    and "name=MainProcess" in r[3])
    t, name, pid, fields = isolated(rows, to_x, ticked, main_pid)
    y = next(y for label, y in lanes.items() if f"({pid})" in label) - 4
    page = browser.open("file://" + html)
    page.mouse("mouseMoved", *client(page, to_x(float(t)), y))
    text = tip(page)
    print(f"hovered {name} of {pid} at {t} ms; the tooltip says:\n{text}")
    check(text is not None, "no tooltip over the event")
    check(f"{t} ms  {name}" in text, f"the tooltip is not {name} at {t} ms")
    check(f"({pid})" in text, f"the tooltip does not name pid {pid}")
    check(all(field in text for field in fields), "a field is missing")
    page.mouse("click", *client(page, to_x(float(t)), y))
    page.mouse("mouseMoved", 5, 5)
    check(tip(page) == text, "a click did not pin the tooltip")
    page.mouse("click", 5, 5)
    check(tip(page) is None, "a click elsewhere did not let the pin go")
    page.mouse("mouseMoved", *client(page, to_x(float(t)), y))
    png = page.call("Page.captureScreenshot", format="png")["data"]
    data = base64.b64decode(png)
    check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000,
          "no screenshot")
    with open(shot, "wb") as f:
        f.write(data)
    print(f"screenshot: {shot}")


def main_line(program):
    """(address of main in the program, the lines of its source that may
    be main's first: where `main(` is written and the next)."""
    nm = subprocess.run(["nm", program], capture_output=True, text=True,
                        check=True).stdout
    address = int(next(line.split()[0] for line in nm.splitlines()
                       if line.split()[-1] == "main"), 16)
    source = os.path.join(TOP, "lessons", "01-fork", "fork.c")
    with open(source) as f:
        at = next(i for i, line in enumerate(f, 1)
                  if re.match(r"\w.*\bmain\(", line))
    return address, (at, at + 1)


def band_trace(path, program, n=400):
    """A synthetic trace: a main process (lesson 1's program, loaded at
    0) prints a line from main's first instruction, then puts n messages
    to a consumer in 2 ms, each received 5 us after it was sent."""
    address, _ = main_line(program)
    events = [
        {"ts": -10**6, "name": "proc_start", "pid": 100, "ppid": 1,
         "proc_name": "mprun"},
        {"ts": -1, "name": "proc_image", "pid": 101, "base": 0,
         "path": program},
        {"ts": 0, "name": "proc_start", "pid": 101, "ppid": 100,
         "proc_name": "MainProcess"},
        {"ts": 5 * 10**5, "name": "print", "pid": 101, "text": "hello",
         "site": address + 1},
        {"ts": 10**5, "name": "chan_open", "pid": 101, "chan": 9,
         "kind": "queue", "capacity": 0},
        {"ts": 2 * 10**5, "name": "proc_fork", "pid": 101, "child": 102,
         "proc_name": "consumer"},
        {"ts": 3 * 10**5, "name": "proc_start", "pid": 102, "ppid": 101,
         "proc_name": "consumer"}]
    for i in range(n):
        sent = 10**6 + i * 5000
        for name, pid, ts in (("msg_send", 101, sent),
                              ("msg_recv", 102, sent + 5000)):
            events.append({"ts": ts, "name": name, "pid": pid, "chan": 9,
                           "msg": 1000 + i, "size": 8,
                           "op": "put" if pid == 101 else "get"})
    end = 10**6 + n * 5000 + 10**5
    events += [{"ts": end, "name": "proc_exit", "pid": 102, "code": 0},
               {"ts": end + 10**5, "name": "proc_reap", "pid": 101,
                "child": 102, "exitcode": 0, "wstatus": 0},
               {"ts": end + 2 * 10**5, "name": "proc_exit", "pid": 101,
                "code": 0}]
    with open(path, "w") as f:
        json.dump(events, f)


def hover_band(browser, work, program):
    """The band's summary; a print's line of the program."""
    trace = os.path.join(work, "band.json")
    band_trace(trace, program)
    out = os.path.join(work, "band")
    html = draw(trace, out)
    page = browser.open("file://" + html)
    s = page.evaluate("JSON.parse(document.getElementById('hover-data')"
                      ".textContent).slices[3]")
    x = (s[0] + s[1] + s[2] + s[3]) / 4
    page.mouse("mouseMoved", *client(page, x, (s[4] + s[5]) / 2))
    text = tip(page)
    print(f"over the band:\n{text}")
    check(text is not None and "400 messages" in text and "per ms" in text
          and "here:" in text, "the band's summary is not shown")
    size = os.path.getsize(html)
    check(size < 200_000, f"the page of 800 events is {size} bytes")
    with open(os.path.join(out, "timeline.svg")) as f:
        to_x, _, lanes = axis(f.read())
    y = next(y for label, y in lanes.items() if "(101)" in label) - 4
    page.mouse("mouseMoved", *client(page, to_x(0.5), y))
    text = tip(page)
    print(f"over the print:\n{text}")
    _, lines = main_line(program)
    check(text is not None and "0.500 ms  print" in text,
          "no tooltip over the print")
    check(any(f"line=lessons/01-fork/fork.c:{n} (main)" in text
              for n in lines), f"the print's line is not fork.c:{lines}")


def fonts(browser, work):
    """Every text of lesson 4's SVG (its italic one too) is drawn in the
    family the SVG names for it, a DejaVu one, as the PNG is: no
    fallback."""
    html = draw(os.path.join(TRACES, "lesson-4"), os.path.join(work, "l4"))
    page = browser.open("file://" + html)
    page.call("DOM.enable")
    page.call("CSS.enable")
    root = page.call("DOM.getDocument", depth=-1)["root"]["nodeId"]
    nodes = page.call("DOM.querySelectorAll", nodeId=root,
                      selector="#picture svg text")["nodeIds"]
    check(len(nodes) > 10, "no texts in the SVG")
    named = page.evaluate(
        "Array.from(document.querySelectorAll('#picture svg text'), t => "
        "getComputedStyle(t).fontFamily.split(',')[0]"
        ".replace(/[\"']/g, '').trim())")
    check(len(named) == len(nodes), "the texts counted twice differ")
    used, wrong = set(), []
    for node, family in zip(nodes, named):
        for font in page.call("CSS.getPlatformFontsForNode",
                              nodeId=node)["fonts"]:
            used.add((font["familyName"], font["postScriptName"]))
            if font["familyName"] != family \
                    or not family.startswith("DejaVu Sans"):
                wrong.append((family, font["familyName"]))
    print("fonts drawn:", sorted(used))
    check(not wrong, f"drawn in another font than named: {wrong[:3]}")
    check(any("Oblique" in ps for _, ps in used),
          "the italic text is not drawn in DejaVu Sans Oblique")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shot", help="where the screenshot goes")
    parser.add_argument("--program", required=True,
                        help="lesson 1's program, built with debug info")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("SKIPPED: Debian's chromium is not installed (apt-get install "
              "chromium, or make deps): the hover is not tested here")
        return 77
    work = tempfile.mkdtemp(prefix="hover-test-")
    try:
        with Browser(chromium) as browser:
            hover_event(browser, work,
                        args.shot or os.path.join(work, "hover.png"))
            hover_band(browser, work, args.program)
            fonts(browser, work)
    except AssertionError as error:
        print(f"FAILED: {error}")
        return 1
    finally:
        if args.shot is None:
            shutil.rmtree(work, ignore_errors=True)
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
