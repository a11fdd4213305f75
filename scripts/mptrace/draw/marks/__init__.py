"""The marks of a timeline, one module per kind of thing drawn.  Each
function takes the Drawing (mptrace.draw.drawing) as `d`: its Picture, its
lanes, its time scale; Drawing.draw() calls them in order."""
