"""timeline.html: the timeline's SVG inline, with its hover data and the
few lines of script that show it (hover.js); no network, one file."""

import json
import os
from html import escape

STYLE = """
body { margin: 8px; font-family: "DejaVu Sans", sans-serif; }
#picture svg { display: block; }
#tip { position: absolute; max-width: 560px; padding: 4px 7px;
  background: #fffff4; border: 1px solid #555; border-radius: 3px;
  font: 12px "DejaVu Sans Mono", monospace; white-space: pre-wrap;
  pointer-events: none; box-shadow: 1px 2px 4px rgba(0, 0, 0, 0.25); }
#tip.pinned { border: 2px solid #d55e00; }
p.help { color: #555; font-size: 13px; }
"""
HELP = ("Hover over a mark for its event: time, process, fields and the "
        "line that made it. Click to pin the details; click again to let "
        "go. A band or crowd of events shows its summary.")


def page(svg_text, hover):
    """The page's HTML for this SVG text and this draw.hover.Hover."""
    with open(os.path.join(os.path.dirname(__file__), "hover.js"),
              encoding="utf-8") as f:
        script = f.read()
    svg = svg_text[svg_text.index("<svg"):]     # no XML declaration
    data = json.dumps(hover.data(), separators=(",", ":"),
                      ensure_ascii=False).replace("</", "<\\/")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n'
            f'<meta charset="utf-8">\n<title>{escape(hover.title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n"
            f'<p class="help">{HELP}</p>\n'
            f'<div id="picture">\n{svg}</div>\n'
            f'<div id="tip" role="tooltip" hidden></div>\n'
            f'<script type="application/json" id="hover-data">{data}'
            f"</script>\n<script>\n{script}</script>\n</body>\n</html>\n")
