"""Qt drawing shared by the GUI and the command line (the PDF statement), kept out of companion.ui so the CLI
can use it without importing pages. Imported lazily: only when something is drawn."""
