"""gnuplot's SVG names a styled font as a family of its own: font-family=
"DejaVu Sans:Italic", which no browser has, so it draws a serif in its
place.  fixed() says it the CSS way (the family, then font-style or
font-weight), with sans-serif after it, so the SVG shows the PNG's fonts."""

import re

_STYLED = re.compile(r'font-family="([^":]+)((?::[A-Za-z]+)*)"')
_GENERIC = ', sans-serif'


def _css(match):
    family, styles = match[1], match[2].lower().split(":")[1:]
    out = f'font-family="\'{family}\'{_GENERIC}"'
    if "italic" in styles or "oblique" in styles:
        out += ' font-style="italic"'
    if "bold" in styles:
        out += ' font-weight="bold"'
    return out


def fixed(svg_text):
    """The SVG text with each font-family a browser can find."""
    return _STYLED.sub(_css, svg_text)


def fix_file(path):
    """fixed() on the SVG file at path, in place."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(fixed(text))
