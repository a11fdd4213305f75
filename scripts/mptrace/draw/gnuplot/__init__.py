"""The timeline as a gnuplot script."""
